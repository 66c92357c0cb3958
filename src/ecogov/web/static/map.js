// Region map of the command centre (指挥中心): the selected region's subdivisions drawn from
// their boundaries with ECharts; clicking a subdivision drills into it.
(function () {
  "use strict";
  const el = document.getElementById("region-map");
  if (!el || typeof echarts === "undefined") { return; }
  const chart = echarts.init(el, null, { renderer: "canvas" });
  window.ecogovMap = chart;

  async function fetchJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) { throw new Error(url + " → " + response.status); }
    return response.json();
  }

  async function draw(code) {
    let geo = await fetchJson("/api/v1/regions/" + code + "/children.geojson");
    if (geo.features.length === 0) {
      geo = await fetchJson("/api/v1/regions/" + code + "/self.geojson");
    }
    const mapName = "region-" + code;
    echarts.registerMap(mapName, geo);
    el.dataset.features = geo.features.map((f) => f.properties.code).join(",");
    chart.setOption({
      tooltip: { trigger: "item", formatter: (p) => p.name + (p.data ? "（" + p.data.code + "）" : "") },
      series: [{
        type: "map",
        map: mapName,
        roam: true,
        nameProperty: "name",
        label: { show: true, fontSize: 11 },
        itemStyle: { areaColor: "#e3f2ea", borderColor: "#0b6e4f", borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: "#8fd3b2" }, label: { show: true } },
        select: { disabled: true },
        data: geo.features.map((f) => ({
          name: f.properties.name, code: f.properties.code, children: f.properties.children,
          center: f.properties.center,
        })),
      }],
    }, true);
    el.dataset.ready = code;
  }

  chart.on("click", (params) => {
    if (params.data && params.data.children > 0) {
      window.location.assign("/?region=" + params.data.code);
    }
  });
  window.addEventListener("resize", () => chart.resize());
  draw(el.dataset.region).catch((error) => { el.textContent = String(error); });
}());
