// Dashboard charts. Every bar links to the list of projects behind it.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const listUrl = "/projects/?";
  const palette = ["#b4232c", "#1f5f99", "#2f855a", "#b7791f", "#6b46c1", "#2c7a7b", "#9c4221", "#4a5568", "#c05621", "#276749"];

  function bar(id, rows, label) {
    const el = document.getElementById(id);
    if (!el) return;
    new Chart(el, {
      type: "bar",
      data: { labels: rows.map(r => r[0]), datasets: [{ label: label, data: rows.map(r => r[1]), backgroundColor: palette }] },
      options: {
        plugins: { legend: { display: false } },
        onClick: (evt, items) => { if (items.length) window.location = listUrl + rows[items[0].index][2]; },
      },
    });
  }
  bar("chart-stages", data.stages, "项目数");
  bar("chart-industries", data.industries, "亿元");
  bar("chart-towns", data.towns, "亿元");

  const months = document.getElementById("chart-months");
  if (months) {
    new Chart(months, {
      type: "bar",
      data: {
        labels: data.months,
        datasets: [
          { label: "开工", data: data.started, backgroundColor: "#b4232c" },
          { label: "投产", data: data.production, backgroundColor: "#1f5f99" },
        ],
      },
      options: {
        onClick: (evt, items) => {
          if (!items.length) return;
          const stage = items[0].datasetIndex === 0 ? "started" : "production";
          window.location = listUrl + "event=" + stage + "&month=" + data.months[items[0].index];
        },
      },
    });
  }
})();
