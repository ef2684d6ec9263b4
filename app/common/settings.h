#pragma once
// The one door to the per-user settings: always the "DigitPad"/"DigitPad"
// store (whatever the application object is called), with every key named
// here once.
#include <QSettings>
#include <QString>
#include <QVariant>

namespace app {

namespace keys {
inline constexpr char kWindowGeometry[] = "window/geometry";
inline constexpr char kWindowState[] = "window/state";
inline constexpr char kPenWidth[] = "pad/penWidth";
inline constexpr char kDarkInk[] = "pad/darkInk";
inline constexpr char kOverlay[] = "pad/overlay";
inline constexpr char kLanguage[] = "ui/language";  // "" or absent: the system's; "en", "zh_CN"
inline constexpr char kTheme[] = "ui/theme";        // absent: the system's; "light", "dark"
inline constexpr char kModelPath[] = "model/path";  // the model in use, when it has a file
inline constexpr char kModelDir[] = "dirs/model";   // where models are opened and saved
inline constexpr char kImageDir[] = "dirs/image";   // where images are opened
inline constexpr char kExportDir[] = "dirs/export"; // where curves, logs and tables are exported
inline constexpr char kTrainingGroup[] = "training/";  // + a TrainingSettings field
}  // namespace keys

class Settings {
public:
    Settings() : m_s(QStringLiteral("DigitPad"), QStringLiteral("DigitPad")) {}

    QVariant value(const QString& key, const QVariant& fallback = {}) const { return m_s.value(key, fallback); }
    void setValue(const QString& key, const QVariant& v) { m_s.setValue(key, v); }
    void remove(const QString& key) { m_s.remove(key); }
    bool contains(const QString& key) const { return m_s.contains(key); }

private:
    QSettings m_s;
};

}  // namespace app
