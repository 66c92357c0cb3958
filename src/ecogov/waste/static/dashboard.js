// The region dashboard's Sankey of waste flows between cities (origin → destination, tonnes).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  const element = document.getElementById("waste-sankey");
  const source = document.getElementById("waste-sankey-data");
  if (!element || !source) { return; }
  const data = JSON.parse(source.textContent);
  if (!data.links.length) { return; }
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "item", triggerOn: "mousemove" },
    series: [{
      type: "sankey",
      data: data.nodes,
      links: data.links,
      emphasis: { focus: "adjacency" },
      lineStyle: { color: "gradient", curveness: 0.5 },
      label: { fontSize: 11 },
    }],
  });
  window.addEventListener("resize", () => chart.resize());
})();
