/* Dashboards: draw each chart from its json_script data (no inline script). The overview loads
   the trends with htmx, so charts are drawn on page load and after every swap. */
(function () {
  "use strict";

  function draw(root) {
    if (typeof Chart === "undefined") {
      return;
    }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source || Chart.getChart(canvas)) {
        return;
      }
      new Chart(canvas, {
        type: "line",
        data: JSON.parse(source.textContent),
        options: {
          animation: false,
          maintainAspectRatio: false,
          spanGaps: true,
          interaction: { mode: "index", intersect: false },
          scales: {
            percent: {
              type: "linear",
              position: "left",
              min: 0,
              max: 100,
              title: { display: true, text: "%" }
            },
            count: {
              type: "linear",
              position: "right",
              beginAtZero: true,
              grid: { drawOnChartArea: false },
              title: { display: true, text: "Overdue follow-ups" }
            }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    draw(event.target);
  });
})();
