// Benchmark (not a test): the layer inspector's latency (issue 16's target:
// p99 from a stroke event to all maps repainted <= 16 ms with the default CNN).
//  1. The real main window at 1600x1000 on the Draw page with the pad's
//     Layers tab showing: synthetic mouse events draw strokes on the canvas;
//     for each event, the time until the prediction for a drawing that
//     includes it has arrived and every layer's maps are repainted (the live
//     prediction's throttling and worker included).
//  2. The Layers page: from a new network input to the page repainted (every
//     layer's strip, the selected map and the input view).
//
//   bench_inspector [--events N]
#include "canvas/canvas.h"
#include "main_window.h"
#include "panels/draw_pad.h"
#include "panels/inspector_panel.h"
#include "panels/layer_inspector.h"
#include "panels/layer_view.h"
#include "workers/prediction_controller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QTabWidget>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(q * double(v.size())))];
}

void report(const char* what, const std::vector<double>& ms)
{
    std::printf("%-44s n=%zu  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n", what, ms.size(), percentile(ms, 0.5),
                percentile(ms, 0.9), percentile(ms, 0.99), percentile(ms, 1.0));
}

// CPU time of the calling thread: what the work costs without the other
// processes of a shared machine preempting it.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // keep the person's settings out of it
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({"events", "mouse events to time (default 600)", "N", "600"});
    parser.process(app);
    const int events = std::max(10, parser.value("events").toInt());

    app::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    app::Canvas* canvas = window.canvas();
    auto* below = window.drawPad()->findChild<QTabWidget*>();
    below->setCurrentIndex(below->count() - 1);
    auto* compact = qobject_cast<app::LayerStack*>(below->currentWidget());
    if (!compact) {
        std::fprintf(stderr, "bench_inspector: the pad's last tab is not the layer view\n");
        return 1;
    }
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 500)
        app.processEvents();

    using Clock = std::chrono::steady_clock;
    auto send = [&](QEvent::Type type, QPointF canvasPos) {
        const QPointF pos = canvas->toWidget(canvasPos);
        const Qt::MouseButtons buttons = type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton;
        QMouseEvent e(type, pos, canvas->mapToGlobal(pos), Qt::LeftButton, buttons, Qt::NoModifier);
        QApplication::sendEvent(canvas, &e);
    };
    std::vector<double> live;
    int stroke = 0;
    for (int done = 0; done < events; ++stroke) {
        if (stroke % 3 == 0)
            canvas->clear();
        // A loop of 100 events around the middle, a different one each stroke.
        const double cx = 280 + 40 * std::sin(stroke), cy = 280 + 30 * std::cos(stroke), r = 120 + 10 * (stroke % 4);
        send(QEvent::MouseButtonPress, {cx + r, cy});
        for (int i = 1; i <= 100 && done < events; ++i, ++done) {
            const double a = 2 * M_PI * i / 100.0;
            const auto t0 = Clock::now();
            send(QEvent::MouseMove, {cx + r * std::cos(a), cy + 0.8 * r * std::sin(2 * a)});
            const int revision = canvas->revision();
            while (window.predictor()->last().revision < revision)
                app.processEvents(QEventLoop::WaitForMoreEvents, 5);
            compact->repaint();  // what the next frame shows, done now
            live.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
        send(QEvent::MouseButtonRelease, {cx + r, cy});
    }

    // The Layers page: a new input, the whole page repainted.
    app::InspectorPanel* page = window.layersPage();
    window.showPage(page);
    page->select(4, 3);
    settle.restart();
    while (settle.elapsed() < 300)
        app.processEvents();
    std::vector<double> pageMs, pageCpu, traceCpu;
    std::array<float, 784> x{};
    for (int i = 0; i < std::max(50, events / 4); ++i) {
        const int cx = 6 + (i * 7) % 16, cy = 6 + (i * 5) % 16;
        x[std::size_t(cy * 28 + cx)] = 1.0f;
        const auto t0 = Clock::now();
        const double c0 = threadCpuMs();
        window.layerInspector()->setInput(x.data());  // the views re-read the traces at once
        const double c1 = threadCpuMs();
        page->repaint();
        pageMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        pageCpu.push_back(threadCpuMs() - c0);
        traceCpu.push_back(c1 - c0);
    }
    std::printf("bench_inspector: %s, default model %s, %d strips on the pad\n", QT_VERSION_STR,
                window.model() ? window.model()->spec().c_str() : "(none)", compact->strips());
    report("stroke event -> prediction + pad's layers", live);
    report("new input -> Layers page repainted", pageMs);
    report("  the same, GUI thread CPU time", pageCpu);
    report("  of which trace + tile images (CPU)", traceCpu);
    return 0;
}
