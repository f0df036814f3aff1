// Integration events between services arrive with issue #3 (see ../shared/ARCHITECTURE.md).
export {};
