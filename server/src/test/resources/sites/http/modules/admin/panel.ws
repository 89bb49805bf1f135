module.exports.init = function () { return 'admin'; };
module.exports.where = function () { return this.context; };
