function init() { return 'upper'; }
