function init() { return 'x'; }
function oops( {
