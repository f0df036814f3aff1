// The processes of the platform in embedded mode, in start order. Ports are the defaults of each app.
module.exports = {
  subgraphs: [
    { name: 'directory', port: 4101 },
    { name: 'inclusions', port: 4102 },
    { name: 'meetings', port: 4103 },
    { name: 'training', port: 4104 },
    { name: 'reporting', port: 4105 },
    { name: 'notifications', port: 4106 },
  ],
  gateway: { name: 'gateway', port: 4000 },
};
