function init() {} // secret-static-ws-marker
