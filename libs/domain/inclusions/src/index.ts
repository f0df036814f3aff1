// The pure domain of the inclusions service (deciders, commands, events, errors) arrives with issue #4.
// The project exists now so that the workspace shows the whole architecture and its module boundaries.
export {};
