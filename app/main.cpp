// DigitPad: draw a digit and watch a CNN's class probabilities change live.
#include "canvas/canvas.h"
#include "common/language.h"
#include "main_window.h"
#include "panels/theme.h"
#include "workers/prediction_controller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QTimer>

#include <cmath>
#include <numbers>
#include <memory>
#include <utility>
#include <cstdio>

namespace {

constexpr const char* kVersion = DIGITPAD_VERSION_STRING;  // project() in CMakeLists.txt

// A hand-drawn-looking "3" (two bowls), in canvas coordinates, for
// screenshots and demos.
QList<app::Stroke> sampleThree()
{
    app::Stroke s;
    s.width = 30;
    auto arc = [&](QPointF c, qreal rx, qreal ry, qreal from, qreal to) {
        const int n = 40;
        for (int i = 0; i <= n; ++i) {
            const qreal t = (from + (to - from) * i / n) * std::numbers::pi / 180.0;
            s.points.push_back({c + QPointF(rx * std::cos(t), ry * std::sin(t)), 1.0f});
        }
    };
    arc({272, 196}, 92, 74, 200, 450);   // upper bowl, ending at its bottom middle
    arc({276, 352}, 108, 88, -95, 160);  // lower bowl
    return {s};
}

}  // namespace

int main(int argc, char* argv[])
{
    QElapsedTimer startup;
    startup.start();
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QApplication::setApplicationName(QStringLiteral("DigitPad"));
    QApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    // The installed desktop entry and icon (cmake/Install.cmake) carry this id.
    QGuiApplication::setDesktopFileName(QStringLiteral(DIGITPAD_APP_ID));
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512})
        icon.addFile(QStringLiteral(":/icons/digitpad-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
    // The system's language unless View > Language chose one.
    app::installLanguage(app::uiLocale(app::storedLanguage()));
    // The system's look unless View > Theme chose Light or Dark.
    if (app::storedTheme() != app::Theme::System)
        app::applyTheme(app::storedTheme());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Draw a digit and watch a CNN's class probabilities change live."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("Predict with this model file."),
                                         QStringLiteral("file"));
    const QCommandLineOption imageOption(QStringLiteral("image"), QStringLiteral("Put this image on the canvas."),
                                         QStringLiteral("file"));
    const QCommandLineOption sampleOption(QStringLiteral("sample"), QStringLiteral("Draw a sample digit."));
    const QCommandLineOption overlayOption(QStringLiteral("overlay"),
                                           QStringLiteral("Show the preprocessing overlay."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window once the prediction is shown, then quit."),
        QStringLiteral("png"));
    const QCommandLineOption startupOption(QStringLiteral("startup-time"),
                                           QStringLiteral("Print the time to a usable window, then quit."));
    parser.addOptions({modelOption, imageOption, sampleOption, overlayOption, screenshotOption, startupOption});
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A model file (.dpm) to predict with, or an image to put on the canvas."),
                                 QStringLiteral("[file]"));
    parser.process(application);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "digitpad: one file at a time (got %lld)\n", static_cast<long long>(positional.size()));
        return 2;
    }

    app::MainWindow window;
    if (parser.isSet(modelOption) && !window.openModelFile(parser.value(modelOption)))
        return 1;
    if (parser.isSet(imageOption) && !window.openImageFile(parser.value(imageOption)))
        return 1;
    // What a file manager's "Open with DigitPad" passes (the desktop entry's
    // %f). A file that cannot be opened gets its message and the window stays.
    if (!positional.isEmpty()) {
        const QString& file = positional.front();
        if (file.endsWith(QLatin1String(".dpm"), Qt::CaseInsensitive))
            window.openModelFile(file);
        else
            window.openImageFile(file);
    }
    if (parser.isSet(sampleOption))
        for (const app::Stroke& s : sampleThree())
            window.canvas()->addStroke(s);
    if (parser.isSet(overlayOption))
        window.canvas()->setOverlayEnabled(true);
    window.show();

    if (parser.isSet(startupOption)) {
        // Runs once the events queued by show() (expose, first paint) are done.
        QTimer::singleShot(0, &window, [&] {
            std::printf("usable window after %lld ms\n", static_cast<long long>(startup.elapsed()));
            QApplication::quit();
        });
    }

    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        auto saved = std::make_shared<bool>(false);
        auto save = [&window, file, saved] {
            if (std::exchange(*saved, true))
                return;
            window.grab().save(file);
            std::printf("saved %s\n", qPrintable(file));
            QApplication::quit();
        };
        // After the first prediction for the final drawing, or after 5 s.
        QObject::connect(window.predictor(), &app::PredictionController::predicted, &window,
                         [&window, save](const app::Prediction& p) {
                             if (p.revision == window.canvas()->revision())
                                 QTimer::singleShot(100, &window, save);
                         });
        QTimer::singleShot(5000, &window, save);
    }
    return QApplication::exec();
}
