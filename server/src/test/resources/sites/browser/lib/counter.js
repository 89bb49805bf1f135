// Shared by denied.ws and attempts.ws: a site's modules are loaded once for all controllers.
var attempts = 0;
exports.attempt = function () { attempts++; };
exports.count = function () { return attempts; };
