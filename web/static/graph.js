/* Draws the neighbourhood or path graph from the JSON the page embeds; clicking a node walks to its page.
   No data is ever put into HTML here: vis-network draws labels on the canvas and shows string
   titles as text. */
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  holder.style.height = holder.getAttribute("data-height") || "560px";
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options || {});
  window.rgNetwork = network;
  window.rgNodes = nodes;
  function ready() {
    network.setOptions({ physics: { enabled: false } });
    holder.setAttribute("data-ready", "1");
    window.rgGraphReady = true;
  }
  if (data.options && data.options.physics && data.options.physics.enabled === false) {
    network.once("afterDrawing", ready);
  } else {
    network.once("stabilizationIterationsDone", ready);
    setTimeout(function () { if (!window.rgGraphReady) { network.stopSimulation(); ready(); } }, 8000);
  }
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length === 1) {
      var node = nodes.get(params.nodes[0]);
      if (node && node.url && node.url.charAt(0) === "/") { window.location.assign(node.url); }
    }
  });
  network.on("hoverNode", function () { holder.style.cursor = "pointer"; });
  network.on("blurNode", function () { holder.style.cursor = "default"; });
}());
