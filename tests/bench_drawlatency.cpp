// Benchmark (not a test): from a stroke event on the canvas to updated
// probabilities. Drives the real main window with synthetic mouse events at a
// steady rate (strokes of 200 events, cleared now and then) and measures, for
// every event, the time until the predicted() signal for a drawing that
// includes it, split into its parts; and what the GUI thread spends per
// event and per repaint.
//
//   bench_drawlatency [--events N] [--rates 125,250,1000] [--interval MS]
//
// On a shared machine, other processes' load shows up as scheduling delays;
// `chrt -f 20 bench_drawlatency` measures the app's own latency.
#include "canvas/canvas.h"
#include "main_window.h"
#include "workers/prediction_controller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <vector>

namespace {

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, std::size_t(std::ceil(q * double(v.size()))) - (q > 0 ? 1 : 0));
    return v[i];
}

struct Run {
    std::vector<double> latencyMs;   // event -> predicted()
    std::vector<double> handlerUs;   // time inside the event handler on the GUI thread
    std::vector<double> preprocessMs, predictMs;
    // Where the time goes, per event: until its job starts, the job, the
    // result's way back to the GUI thread.
    std::vector<double> waitMs, jobMs, deliveryMs;
    int predictions = 0;
};

Run runAt(app::MainWindow& window, int events, double rateHz)
{
    app::Canvas* canvas = window.canvas();
    app::PredictionController* predictor = window.predictor();
    Run run;
    using Clock = std::chrono::steady_clock;
    auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    struct Pending {
        Clock::time_point t0;
        int revision;
    };
    std::deque<Pending> pending;

    QMetaObject::Connection c = QObject::connect(
        predictor, &app::PredictionController::predicted, canvas, [&](const app::Prediction& p) {
            const Clock::time_point now = Clock::now();
            ++run.predictions;
            run.preprocessMs.push_back(p.preprocessMs);
            run.predictMs.push_back(p.predictMs);
            while (!pending.empty() && pending.front().revision <= p.revision) {
                run.latencyMs.push_back(ms(now - pending.front().t0));
                run.waitMs.push_back(ms(p.started - pending.front().t0));
                run.jobMs.push_back(ms(p.finished - p.started));
                run.deliveryMs.push_back(ms(now - p.finished));
                pending.pop_front();
            }
        });

    const int perStroke = 200;
    int sent = 0;
    bool down = false;
    auto send = [&](QEvent::Type type, QPointF canvasPos) {
        const QPointF pos = canvas->toWidget(canvasPos);
        const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
        const Qt::MouseButtons buttons = type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton;
        QMouseEvent e(type, pos, canvas->mapToGlobal(pos), button, buttons, Qt::NoModifier);
        const Clock::time_point t0 = Clock::now();
        const int before = canvas->revision();
        QApplication::sendEvent(canvas, &e);
        run.handlerUs.push_back(ms(Clock::now() - t0) * 1e3);
        if (canvas->revision() != before)
            pending.push_back({t0, canvas->revision()});
    };
    // A wandering curve that stays inside the canvas.
    auto point = [](int i) {
        const double t = i * 0.021;
        return QPointF(280 + 200 * std::sin(1.3 * t) * std::cos(0.31 * t), 280 + 200 * std::sin(0.9 * t + 0.5));
    };

    QEventLoop loop;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    const double intervalMs = 1000.0 / rateHz;
    tick.setInterval(std::max(1, int(std::lround(intervalMs))));
    QObject::connect(&tick, &QTimer::timeout, [&] {
        if (sent >= events) {
            tick.stop();
            if (down)
                send(QEvent::MouseButtonRelease, point(sent));
            // Let the last results arrive.
            QTimer::singleShot(200, &loop, &QEventLoop::quit);
            return;
        }
        const int inStroke = sent % perStroke;
        if (inStroke == 0) {
            if (down)
                send(QEvent::MouseButtonRelease, point(sent));
            if ((sent / perStroke) % 3 == 0)
                canvas->clear();
            send(QEvent::MouseButtonPress, point(sent));
            down = true;
        } else {
            send(QEvent::MouseMove, point(sent));
        }
        ++sent;
    });
    tick.start();
    loop.exec();
    QObject::disconnect(c);
    canvas->clear();
    return run;
}

}  // namespace

// Times the GUI thread's repaints: UpdateRequest (a window's paint + flush)
// and each widget's paint event.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    std::vector<double> repaintMs;
    std::map<QString, std::vector<double>> paintMs;
    bool notify(QObject* receiver, QEvent* event) override
    {
        const QEvent::Type type = event->type();
        if (type != QEvent::UpdateRequest && type != QEvent::Paint)
            return QApplication::notify(receiver, event);
        const auto t0 = std::chrono::steady_clock::now();
        const bool r = QApplication::notify(receiver, event);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (type == QEvent::UpdateRequest)
            repaintMs.push_back(ms);
        else
            paintMs[QString::fromLatin1(receiver->metaObject()->className())].push_back(ms);
        return r;
    }
};

int main(int argc, char* argv[])
{
    TimedApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QApplication::setApplicationName(QStringLiteral("DigitPad"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Stroke event to probabilities latency of the drawing pad."));
    parser.addHelpOption();
    const QCommandLineOption eventsOption(QStringLiteral("events"), QStringLiteral("Events per rate (2000)."),
                                          QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption ratesOption(QStringLiteral("rates"), QStringLiteral("Event rates in Hz (125,250,1000)."),
                                         QStringLiteral("list"), QStringLiteral("125,250,1000"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
                                            QStringLiteral("Minimum ms between prediction jobs (the app's default)."),
                                            QStringLiteral("ms"));
    parser.addOptions({eventsOption, ratesOption, intervalOption});
    parser.process(application);

    app::MainWindow window;
    if (parser.isSet(intervalOption))
        window.predictor()->setMinInterval(parser.value(intervalOption).toInt());
    window.resize(1000, 700);
    window.show();
    if (!window.model()) {
        std::fprintf(stderr, "no model: %s\n", qPrintable(window.lastError()));
        return 1;
    }
    std::printf("model: %s (%s), prediction interval %d ms, platform %s\n", qPrintable(window.modelName()),
                window.model()->spec().c_str(), window.predictor()->minInterval(),
                qPrintable(QGuiApplication::platformName()));
    // Warm up: first use of the pool thread, model buffers, glyph caches.
    runAt(window, 100, 250);

    const int events = parser.value(eventsOption).toInt();
    for (const QString& r : parser.value(ratesOption).split(QLatin1Char(','))) {
        const double rate = r.toDouble();
        if (rate <= 0)
            continue;
        const Run run = runAt(window, events, rate);
        std::printf("\n%.0f events/s: %zu events, %d prediction jobs\n", rate, run.latencyMs.size(), run.predictions);
        std::printf("  %-36s %8s %8s %8s %8s\n", "", "median", "p90", "p99", "max");
        auto row = [](const char* name, const std::vector<double>& v) {
            std::printf("  %-36s %8.2f %8.2f %8.2f %8.2f\n", name, percentile(v, 0.5), percentile(v, 0.9),
                        percentile(v, 0.99), percentile(v, 1.0));
        };
        row("event -> probabilities (ms)", run.latencyMs);
        row("  event -> its job starts (ms)", run.waitMs);
        row("  job on the worker (ms)", run.jobMs);
        row("  worker done -> signal (ms)", run.deliveryMs);
        row("GUI thread per event (us)", run.handlerUs);
        row("worker: QImage->grey+preprocess (ms)", run.preprocessMs);
        row("worker: predict (ms)", run.predictMs);
        std::fflush(stdout);
    }
    // GUI-thread repaint cost over all runs (the pad's widgets, and whole
    // window updates: paint + flush).
    std::printf("\nGUI repaints over all runs (ms)        %8s %8s %8s %8s %6s\n", "median", "p90", "p99", "max", "count");
    auto paintRow = [](const QString& name, const std::vector<double>& v) {
        std::printf("  %-36s %8.2f %8.2f %8.2f %8.2f %6zu\n", qPrintable(name), percentile(v, 0.5), percentile(v, 0.9),
                    percentile(v, 0.99), percentile(v, 1.0), v.size());
    };
    paintRow(QStringLiteral("window update (all widgets + flush)"), application.repaintMs);
    for (const auto& [name, v] : application.paintMs)
        if (name.startsWith(QLatin1String("app::")))
            paintRow(QStringLiteral("  ") + name, v);
    return 0;
}
