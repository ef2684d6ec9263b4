#include "run_compare.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace app {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString duration(double s)
{
    if (s <= 0)
        return {};
    const long long t = std::llround(s);
    if (t < 60)
        return QStringLiteral("%1 s").arg(QString::number(s, 'f', s < 10 ? 1 : 0));
    if (t < 3600)
        return QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3").arg(t / 3600).arg(t / 60 % 60, 2, 10, QLatin1Char('0')).arg(t % 60, 2, 10, QLatin1Char('0'));
}

QString statusText(const nn::RunRecord& r) { return qs(r.status); }

// The keys of a settings line, in order.
std::vector<std::pair<std::string, std::string>> pairs(const std::string& line)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
        const auto eq = w.find('=');
        if (eq != std::string::npos && eq > 0)
            out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    return out;
}

// Each column's English title is marked for lupdate: the GUI shows it through
// runColumnTitle (translated), the CLI and the CSV as it is.

std::vector<RunColumn> makeColumns()
{
    using R = const nn::RunRecord&;
    return {
        {QStringLiteral("id"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Run")), [](R r) { return QString::number(r.id); },
         [](R r) { return QVariant(qlonglong(r.id)); }},
        {QStringLiteral("started"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Started (UTC)")),
         [](R r) { return qs(r.startedAt).replace(QLatin1Char('T'), QLatin1Char(' ')).remove(QLatin1Char('Z')); },
         [](R r) { return QVariant(qs(r.startedAt)); }},
        {QStringLiteral("source"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "From")),
         [](R r) { return r.frontEnd == "cli" ? QStringLiteral("CLI") : r.frontEnd == "gui" ? QStringLiteral("GUI") : qs(r.frontEnd); },
         [](R r) { return QVariant(qs(r.frontEnd)); }},
        {QStringLiteral("optimizer"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Optimizer")), [](R r) { return qs(r.setting("opt")); },
         [](R r) { return QVariant(qs(r.setting("opt"))); }},
        {QStringLiteral("lr"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "LR")), [](R r) { return qs(r.setting("lr")); },
         [](R r) { return QVariant(qs(r.setting("lr", "0")).toDouble()); }},
        {QStringLiteral("batch"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Batch")), [](R r) { return qs(r.setting("batch")); },
         [](R r) { return QVariant(qs(r.setting("batch", "0")).toInt()); }},
        {QStringLiteral("epochs"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Epochs")),
         [](R r) { return QStringLiteral("%1/%2").arg(r.epochsCompleted).arg(r.epochs); },
         [](R r) { return QVariant(r.epochsCompleted); }},
        {QStringLiteral("status"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Ended")), statusText, [](R r) { return QVariant(statusText(r)); }},
        {QStringLiteral("val_accuracy"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Validation")), [](R r) { return runPercent(r.valAccuracy); },
         [](R r) { return QVariant(r.valAccuracy); }},
        {QStringLiteral("best_val_accuracy"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Best val.")),
         [](R r) { return runPercent(r.bestValAccuracy); }, [](R r) { return QVariant(r.bestValAccuracy); }},
        {QStringLiteral("test_accuracy"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Test")), [](R r) { return runPercent(r.testAccuracy); },
         [](R r) { return QVariant(r.testAccuracy); }},
        {QStringLiteral("my_digits"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "My Digits")),
         [](R r) {
             return r.userHeldOut > 0 ? QStringLiteral("%1 → %2").arg(runPercent(r.userBefore), runPercent(r.userAfter))
                                      : QString();
         },
         [](R r) { return QVariant(r.userHeldOut > 0 ? r.userAfter : -1.0); }},
        {QStringLiteral("duration"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Duration")), [](R r) { return duration(r.seconds); },
         [](R r) { return QVariant(r.seconds); }},
        {QStringLiteral("images_per_second"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "img/s")),
         [](R r) { return r.imagesPerSecond > 0 ? QString::number(std::llround(r.imagesPerSecond)) : QString(); },
         [](R r) { return QVariant(r.imagesPerSecond); }},
        {QStringLiteral("architecture"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Architecture")), [](R r) { return qs(r.spec); },
         [](R r) { return QVariant(qs(r.spec)); }},
        {QStringLiteral("model"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Model file")), runModelText,
         [](R r) { return QVariant(runModelText(r)); }},
        // The runs of one search sort together, trial by trial, fold by fold.
        {QStringLiteral("search"), QString::fromLatin1(QT_TRANSLATE_NOOP("app::RunColumn", "Search")), runSearchText,
         [](R r) {
             return QVariant(r.searchId.empty() ? QString()
                                                : QStringLiteral("%1 %2 %3").arg(qs(r.searchId)).arg(r.searchTrial, 6, 10, QLatin1Char('0')).arg(r.searchFold + 1, 3, 10, QLatin1Char('0')));
         }},
    };
}

}  // namespace

const std::vector<RunColumn>& runColumns()
{
    static const std::vector<RunColumn> columns = makeColumns();
    return columns;
}

QString runColumnTitle(const RunColumn& c)
{
    return QCoreApplication::translate("app::RunColumn", c.title.toLatin1().constData());
}

// How a run ended, as the history stores it; marked for lupdate.
const char* const kRunStatuses[] = {QT_TRANSLATE_NOOP("app::RunStatus", "finished"),
                                    QT_TRANSLATE_NOOP("app::RunStatus", "early-stopped"),
                                    QT_TRANSLATE_NOOP("app::RunStatus", "stopped"),
                                    QT_TRANSLATE_NOOP("app::RunStatus", "diverged")};

QStringList runStatuses()
{
    QStringList out;
    for (const char* s : kRunStatuses)
        out << QString::fromLatin1(s);
    return out;
}

QString runStatusText(const QString& status)
{
    return QCoreApplication::translate("app::RunStatus", status.toLatin1().constData());
}

int runColumnIndex(const QString& key)
{
    const auto& c = runColumns();
    for (std::size_t i = 0; i < c.size(); ++i)
        if (c[i].key == key)
            return int(i);
    return -1;
}

QString runSearchText(const nn::RunRecord& r)
{
    if (r.searchId.empty())
        return {};
    QString s = QStringLiteral("%1 trial %2").arg(qs(r.searchId)).arg(r.searchTrial + 1);
    if (r.searchFold >= 0)
        s += QStringLiteral(" fold %1").arg(r.searchFold + 1);
    return s;
}

QString runPercent(double f) { return f < 0 ? QString() : QString::number(100.0 * f, 'f', 2) + QLatin1Char('%'); }

bool runModelMissing(const nn::RunRecord& r)
{
    return !r.modelPath.empty() && !QFileInfo(qs(r.modelPath)).isFile();
}

QString runModelText(const nn::RunRecord& r)
{
    if (r.modelPath.empty())
        return {};
    return runModelMissing(r) ? QStringLiteral("missing: ") + qs(r.modelPath) : qs(r.modelPath);
}

bool runMatches(const nn::RunRecord& r, const QString& text, const QString& status)
{
    if (!status.isEmpty() && qs(r.status) != status)
        return false;
    QString hay = qs(r.settings) + QLatin1Char(' ') + qs(r.message) + QLatin1Char(' ') + qs(r.data) +
                  QLatin1Char(' ') + qs(r.command);
    for (const RunColumn& c : runColumns())
        hay += QLatin1Char(' ') + c.text(r);
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return std::all_of(words.begin(), words.end(),
                       [&](const QString& w) { return hay.contains(w, Qt::CaseInsensitive); });
}

std::vector<SettingsRow> settingsDiff(const std::vector<nn::RunRecord>& runs, bool differentOnly)
{
    std::vector<std::string> keys;
    std::set<std::string> seen;
    std::vector<std::map<std::string, std::string>> values(runs.size());
    const auto add = [&](std::size_t i, const std::string& k, const std::string& v) {
        if (seen.insert(k).second)
            keys.push_back(k);
        values[i][k] = v;
    };
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const nn::RunRecord& r = runs[i];
        add(i, "architecture", r.spec);
        for (const auto& [k, v] : pairs(r.settings))
            add(i, k, v);
        add(i, "data", r.data);
        add(i, "data_dir", r.dataDir);
        add(i, "fine_tune", r.fineTune ? "yes" : "no");
        add(i, "resumed", r.resumed ? "yes" : "no");
        add(i, "cpu", r.cpu);
        add(i, "front_end", r.frontEnd);
    }
    std::vector<SettingsRow> out;
    for (const std::string& k : keys) {
        SettingsRow row;
        row.key = qs(k);
        for (const auto& v : values) {
            auto it = v.find(k);
            row.values << (it == v.end() ? QString() : qs(it->second));
        }
        for (const QString& v : row.values)
            row.differs = row.differs || v != row.values.front();
        if (!differentOnly || row.differs)
            out.push_back(std::move(row));
    }
    return out;
}

QString csvField(const QString& s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
        !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString runsCsv(const std::vector<nn::RunRecord>& runs)
{
    QStringList header;
    for (const RunColumn& c : runColumns())
        header << c.key;
    header << QStringLiteral("message") << QStringLiteral("settings") << QStringLiteral("data")
           << QStringLiteral("data_crc") << QStringLiteral("threads") << QStringLiteral("cpu")
           << QStringLiteral("parameters") << QStringLiteral("command");
    QString out = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const nn::RunRecord& r : runs) {
        QStringList row;
        for (const RunColumn& c : runColumns()) {
            // Numbers as numbers (fractions, seconds), not as the table shows them.
            const QVariant v = c.sortValue(r);
            const bool numeric = v.typeId() == QMetaType::Double;
            row << csvField(numeric ? (v.toDouble() < 0 ? QString() : QString::number(v.toDouble(), 'g', 10))
                                    : c.key == QLatin1String("epochs") || c.key == QLatin1String("source")
                                        ? c.text(r)
                                        : v.toString());
        }
        row << csvField(qs(r.message)) << csvField(qs(r.settings)) << csvField(qs(r.data)) << csvField(qs(r.dataCrc))
            << QString::number(r.threads) << csvField(qs(r.cpu)) << QString::number(r.parameters)
            << csvField(qs(r.command));
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

QString curvesCsv(const std::vector<nn::RunRecord>& runs)
{
    QString out = QStringLiteral("run,label,kind,epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,"
                                 "images_per_second\n");
    const auto g = [](double v) { return QString::number(v, 'g', 8); };
    const auto opt = [&](double v) { return v < 0 ? QString() : g(v); };
    for (const nn::RunRecord& r : runs) {
        const QString head = QString::number(r.id) + QLatin1Char(',') + csvField(qs(r.label())) + QLatin1Char(',');
        for (const nn::EpochReport& e : r.epochCurve)
            out += head + QStringLiteral("epoch,%1,,%2,%3,%4,%5,%6,%7\n")
                              .arg(e.epoch + 1)
                              .arg(g(e.trainLoss), g(e.trainAccuracy), opt(e.valLoss), opt(e.valAccuracy), g(e.lr),
                                   g(e.imagesPerSecond));
        for (const nn::RunBatchPoint& b : r.batchCurve)
            out += head + QStringLiteral("batch,%1,%2,%3,%4,,,%5,\n")
                              .arg(b.epoch + 1)
                              .arg(b.step)
                              .arg(g(b.loss), g(b.accuracy), g(b.lr));
    }
    return out;
}

QJsonObject runJson(const nn::RunRecord& r, bool full)
{
    QJsonObject o;
    for (const RunColumn& c : runColumns()) {
        const QVariant v = c.sortValue(r);
        if (v.typeId() == QMetaType::Double)
            o[c.key] = v.toDouble() < 0 ? QJsonValue() : QJsonValue(v.toDouble());
        else if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int)
            o[c.key] = v.toLongLong();
        else
            o[c.key] = v.toString();
    }
    o[QStringLiteral("model")] = qs(r.modelPath);
    o[QStringLiteral("model_missing")] = runModelMissing(r);
    o[QStringLiteral("epochs_planned")] = r.epochs;
    o[QStringLiteral("message")] = qs(r.message);
    QJsonObject settings;
    for (const auto& [k, v] : pairs(r.settings))
        settings[qs(k)] = qs(v);
    o[QStringLiteral("settings")] = settings;
    o[QStringLiteral("data")] = qs(r.data);
    o[QStringLiteral("data_crc")] = qs(r.dataCrc);
    o[QStringLiteral("threads")] = r.threads;
    o[QStringLiteral("cpu")] = qs(r.cpu);
    o[QStringLiteral("parameters")] = qlonglong(r.parameters);
    o[QStringLiteral("command")] = qs(r.command);
    o[QStringLiteral("search")] = runSearchText(r);
    o[QStringLiteral("search_id")] = qs(r.searchId);
    o[QStringLiteral("search_trial")] = r.searchId.empty() ? QJsonValue() : QJsonValue(r.searchTrial + 1);
    o[QStringLiteral("search_fold")] = r.searchFold < 0 ? QJsonValue() : QJsonValue(r.searchFold + 1);
    if (!full)
        return o;
    QJsonArray epochs;
    for (const nn::EpochReport& e : r.epochCurve)
        epochs.append(QJsonObject{{QStringLiteral("epoch"), e.epoch + 1},
                                  {QStringLiteral("train_loss"), e.trainLoss},
                                  {QStringLiteral("train_accuracy"), e.trainAccuracy},
                                  {QStringLiteral("val_loss"), e.valLoss < 0 ? QJsonValue() : QJsonValue(e.valLoss)},
                                  {QStringLiteral("val_accuracy"), e.valAccuracy < 0 ? QJsonValue() : QJsonValue(e.valAccuracy)},
                                  {QStringLiteral("lr"), double(e.lr)},
                                  {QStringLiteral("seconds"), e.seconds},
                                  {QStringLiteral("images_per_second"), e.imagesPerSecond}});
    o[QStringLiteral("epoch_curve")] = epochs;
    o[QStringLiteral("batch_points")] = int(r.batchCurve.size());
    QJsonArray errors;
    for (double e : r.classError)
        errors.append(e < 0 ? QJsonValue() : QJsonValue(e));
    o[QStringLiteral("class_error")] = errors;
    o[QStringLiteral("class_error_set")] = qs(r.classErrorSet);
    if (!r.latencyMs.empty())
        o[QStringLiteral("latency_ms")] = QJsonObject{{QStringLiteral("count"), int(r.latencyMs.size())},
                                                      {QStringLiteral("p50"), nn::percentile(r.latencyMs, 50)},
                                                      {QStringLiteral("p90"), nn::percentile(r.latencyMs, 90)},
                                                      {QStringLiteral("p99"), nn::percentile(r.latencyMs, 99)},
                                                      {QStringLiteral("max"), nn::percentile(r.latencyMs, 100)}};
    return o;
}

QString latencySummary(const std::vector<double>& ms)
{
    if (ms.empty())
        return {};
    const auto f = [](double v) { return QString::number(v, 'g', 2); };
    return QStringLiteral("p50 %1 ms, p90 %2 ms, p99 %3 ms, max %4 ms (%5 predictions)")
        .arg(f(nn::percentile(ms, 50)), f(nn::percentile(ms, 90)), f(nn::percentile(ms, 99)),
             f(nn::percentile(ms, 100)), QLocale(QLocale::English).toString(qlonglong(ms.size())));
}

Histogram histogram(const std::vector<double>& samples, int bins, double hi)
{
    Histogram h;
    if (bins <= 0)
        return h;
    if (hi <= 0)
        hi = std::max(0.01, 1.25 * nn::percentile(samples, 99));
    h.binWidth = hi / bins;
    h.counts.assign(std::size_t(bins), 0);
    for (double v : samples) {
        const int b = v < 0 ? 0 : int(std::min<double>(bins - 1, std::floor(v / h.binWidth)));
        ++h.counts[std::size_t(b)];
    }
    return h;
}

const std::vector<QColor>& RunColors::palette()
{
    // Tableau 10: distinct on light and dark backgrounds.
    static const std::vector<QColor> p{QColor(0x4e79a7), QColor(0xf28e2b), QColor(0xe15759), QColor(0x76b7b2),
                                       QColor(0x59a14f), QColor(0xedc948), QColor(0xb07aa1), QColor(0xff9da7),
                                       QColor(0x9c755f), QColor(0xbab0ac)};
    return p;
}

void RunColors::show(const std::vector<long long>& ids)
{
    std::map<long long, int> kept;
    for (long long id : ids)
        if (auto it = m_index.find(id); it != m_index.end())
            kept[id] = it->second;
    const int n = int(palette().size());
    for (long long id : ids) {
        if (kept.count(id))
            continue;
        std::set<int> used;
        for (const auto& [_, i] : kept)
            used.insert(i);
        int pick = int(((id % n) + n) % n);
        for (int k = 0; k < n && used.count(pick); ++k)
            pick = (pick + 1) % n;
        kept[id] = pick;  // more runs than colours: shared after the tenth
    }
    m_index = std::move(kept);
}

QColor RunColors::color(long long id) const
{
    auto it = m_index.find(id);
    return it == m_index.end() ? QColor() : palette()[std::size_t(it->second)];
}

}  // namespace app
