function init() { return 0; }
function never() { return 'unreachable'; }
