#include "defaultmodel.h"

#include <nn/onnx.h>
#include <nn/serialize.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace app {

nn::Model loadModelFile(const QString& path)
{
    if (path.startsWith(QLatin1String(":/"))) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw nn::FileError(path.toStdString(), "cannot open embedded resource");
        const QByteArray bytes = f.readAll();
        return nn::loadModelFromBytes(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                      std::size_t(bytes.size()), path.toStdString());
    }
    const std::string name = QDir::toNativeSeparators(path).toStdString();
    if (nn::isOnnxPath(name))
        return nn::loadOnnx(name);  // checks the outputs are finite too
    nn::Model model = nn::loadModel(name);
    nn::checkFiniteOutputs(model, name);
    return model;
}

std::shared_ptr<const nn::Model> loadDefaultModel()
{
    return std::make_shared<const nn::Model>(loadModelFile(QString::fromLatin1(kDefaultModelResource)));
}

QString appDataDir()
{
    // Qt's AppDataLocation would be <generic>/<organisation>/<application>,
    // i.e. DigitPad/DigitPad; one level is what people expect to find.
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/DigitPad");
}

QString resolveDataDir(const QString& commandLineValue)
{
    if (!commandLineValue.isEmpty())
        return commandLineValue;
    const QByteArray env = qgetenv("DIGITPAD_DATA");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return appDataDir() + QStringLiteral("/mnist");
}

}  // namespace app
