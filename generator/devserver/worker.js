
// The SharedWorker every tab of the preview shares: it holds the one
// reload stream and sends its state to each tab, at once to a tab that
// connects, then after every event.
var ports = [];
var current = hub(function (st) {
  ports.forEach(function (p) {
    p.postMessage(st);
  });
});
self.onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  // A tab says "bye" as it goes away; a port gives no other sign.
  port.onmessage = function (m) {
    if (m.data === "bye") {
      var i = ports.indexOf(port);
      if (i >= 0) {
        ports.splice(i, 1);
      }
    }
  };
  port.start();
  var st = current();
  if (st) {
    port.postMessage(st);
  }
};
