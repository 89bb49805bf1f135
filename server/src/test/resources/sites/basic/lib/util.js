const helper = require('./helper');
exports.double = (n) => helper.times(n, 2);
