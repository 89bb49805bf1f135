// Shared by every controller of the site (one module cache per context).
module.exports = { inits: 0 };
