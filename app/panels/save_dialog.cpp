#include "save_dialog.h"

#include "common/language.h"
#include "common/settings.h"

#include <nn/errors.h>
#include <nn/serialize.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QRegularExpression>

namespace app {

namespace {

// "DigitPad models (*.dpm);;All files (*)" -> "dpm"
QString defaultSuffix(const QString& filter)
{
    static const QRegularExpression pattern(QStringLiteral("\\*\\.([A-Za-z0-9]+)"));
    const auto m = pattern.match(filter);
    return m.hasMatch() ? m.captured(1) : QString();
}

}  // namespace

// A writer that calls `save` with the native path and turns nn::Error into its message.
SaveWriter catchingWriter(std::function<void(const std::string&)> save)
{
    return [save = std::move(save)](const QString& path, QString* error) {
        try {
            save(QDir::toNativeSeparators(path).toStdString());
            return true;
        } catch (const nn::Error& e) {
            *error = errorText(e);
            return false;
        }
    };
}

SaveWriter modelWriter(std::shared_ptr<const nn::Model> model)
{
    return catchingWriter([model = std::move(model)](const std::string& p) { nn::saveModel(*model, p); });
}

QString askSavePath(QWidget* parent, const SaveRequest& r)
{
    QString start = r.fileName;
    if (!r.dirKey.isEmpty()) {
        const QString dir = Settings().value(r.dirKey, QDir::homePath()).toString();
        start = dir + QLatin1Char('/') + r.fileName;
    }
    QString path = QFileDialog::getSaveFileName(parent, r.title, start, r.filter);
    if (path.isEmpty())
        return {};
    const QString suffix = defaultSuffix(r.filter);
    if (QFileInfo(path).suffix().isEmpty() && !suffix.isEmpty())
        path += QLatin1Char('.') + suffix;
    if (!r.dirKey.isEmpty())
        Settings().setValue(r.dirKey, QFileInfo(path).absolutePath());
    return path;
}

QString saveWithDialog(QWidget* parent, const SaveRequest& r, const SaveWriter& write)
{
    const QString path = askSavePath(parent, r);
    if (path.isEmpty())
        return {};
    QString error;
    if (!write(path, &error)) {
        QMessageBox::warning(parent, r.title, error);
        return {};
    }
    return path;
}

}  // namespace app
