// The pure domain of the training service (deciders, commands, events, errors) arrives with issue #5.
// The project exists now so that the workspace shows the whole architecture and its module boundaries.
export {};
