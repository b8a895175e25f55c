// Preloaded into Microsoft 365 Agents Playground (node --require): it calls server.listen(port, cb)
// with no host, i.e. on every interface, and relays whatever reaches it to the bot, which runs
// unauthenticated in local development mode. This binds such calls to 127.0.0.1 instead.
'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1');
  } else if (
    args[0] &&
    typeof args[0] === 'object' &&
    !Array.isArray(args[0]) &&
    'port' in args[0] &&
    !args[0].host &&
    !args[0].path
  ) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
