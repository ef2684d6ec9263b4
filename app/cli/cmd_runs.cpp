// digitpad-cli runs list|show|compare|export
#include "cli.h"
#include "options.h"

#include "common/run_compare.h"
#include "common/run_store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <ostream>

namespace app::cli {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

// Columns padded to their widest cell, two spaces apart.
std::string textTable(const std::vector<QStringList>& rows)
{
    std::vector<int> width;
    for (const QStringList& r : rows)
        for (int i = 0; i < r.size(); ++i) {
            if (std::size_t(i) >= width.size())
                width.push_back(0);
            width[std::size_t(i)] = std::max(width[std::size_t(i)], int(r[i].size()));
        }
    std::string out;
    for (const QStringList& r : rows) {
        QString line;
        for (int i = 0; i < r.size(); ++i)
            line += i + 1 == r.size() ? r[i] : r[i].leftJustified(width[std::size_t(i)] + 2);
        out += str(line) + "\n";
    }
    return out;
}

long long runId(const QString& text)
{
    bool ok = false;
    const long long id = text.trimmed().remove(QLatin1Char('#')).toLongLong(&ok);
    if (!ok || id <= 0)
        throw UsageError("expected a run number, got '" + text.toStdString() + "'");
    return id;
}

nn::RunRecord loadRun(const RunStore& store, long long id)
{
    auto r = store.load(id);
    if (!r)
        throw nn::Error("there is no run " + std::to_string(id) + " in " + store.path().toStdString() +
                        " (see 'digitpad-cli runs list')");
    return *r;
}

std::vector<nn::RunRecord> filtered(const RunStore& store, const ParsedArgs& a)
{
    std::vector<nn::RunRecord> out;
    for (nn::RunRecord& r : store.list())
        if (runMatches(r, a.value(QStringLiteral("filter")), a.value(QStringLiteral("status"))))
            out.push_back(std::move(r));
    return out;
}

void printJson(const QJsonValue& v, const Io& io)
{
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    io.out << doc.toJson(QJsonDocument::Indented).toStdString();
}

const QStringList kListColumns{QStringLiteral("id"),           QStringLiteral("started"),
                               QStringLiteral("source"),       QStringLiteral("optimizer"),
                               QStringLiteral("lr"),           QStringLiteral("batch"),
                               QStringLiteral("epochs"),       QStringLiteral("status"),
                               QStringLiteral("val_accuracy"), QStringLiteral("test_accuracy"),
                               QStringLiteral("duration"),     QStringLiteral("images_per_second"),
                               QStringLiteral("model")};

int list(const RunStore& store, const ParsedArgs& a, const Io& io)
{
    const auto runs = filtered(store, a);
    if (a.isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const auto& r : runs)
            arr.append(runJson(r, false));
        printJson(arr, io);
        return ExitOk;
    }
    if (runs.empty()) {
        io.out << "no runs recorded in " << str(store.path()) << "\n";
        return ExitOk;
    }
    std::vector<QStringList> rows;
    QStringList head;
    for (const QString& k : kListColumns)
        head << runColumns()[std::size_t(runColumnIndex(k))].title;
    rows.push_back(head);
    for (const auto& r : runs) {
        QStringList row;
        for (const QString& k : kListColumns)
            row << runColumns()[std::size_t(runColumnIndex(k))].text(r);
        rows.push_back(row);
    }
    io.out << textTable(rows);
    return ExitOk;
}

int show(const RunStore& store, const ParsedArgs& a, const QStringList& ids, const Io& io)
{
    if (ids.size() != 1)
        throw UsageError("runs show takes one run number");
    const nn::RunRecord r = loadRun(store, runId(ids[0]));
    if (a.isSet(QStringLiteral("json"))) {
        printJson(runJson(r, true), io);
        return ExitOk;
    }
    std::vector<QStringList> rows;
    for (const RunColumn& c : runColumns())
        rows.push_back({c.title + QLatin1Char(':'), c.text(r)});
    rows.push_back({QStringLiteral("How it ended:"), QString::fromStdString(r.message)});
    rows.push_back({QStringLiteral("Data:"), QString::fromStdString(r.data)});
    if (!r.command.empty())
        rows.push_back({QStringLiteral("Command:"), QString::fromStdString(r.command)});
    rows.push_back({QStringLiteral("CPU:"), QString::fromStdString(r.cpu.empty() ? "unknown" : r.cpu)});
    rows.push_back({QStringLiteral("Settings:"), QString::fromStdString(r.settings)});
    io.out << textTable(rows);
    if (!r.epochCurve.empty()) {
        std::vector<QStringList> e{{QStringLiteral("epoch"), QStringLiteral("train loss"), QStringLiteral("train acc"),
                                    QStringLiteral("val loss"), QStringLiteral("val acc"), QStringLiteral("lr"),
                                    QStringLiteral("seconds"), QStringLiteral("img/s")}};
        for (const nn::EpochReport& p : r.epochCurve)
            e.push_back({QString::number(p.epoch + 1), QString::number(p.trainLoss, 'f', 4), runPercent(p.trainAccuracy),
                         p.valLoss < 0 ? QString() : QString::number(p.valLoss, 'f', 4), runPercent(p.valAccuracy),
                         QString::number(double(p.lr), 'g', 3), QString::number(p.seconds, 'f', 1),
                         QString::number(qlonglong(p.imagesPerSecond))});
        io.out << "\n" << textTable(e);
    }
    if (!r.classError.empty()) {
        QStringList cls{QStringLiteral("class")}, err{QStringLiteral("error (") + QString::fromStdString(r.classErrorSet) + ')'};
        for (std::size_t k = 0; k < r.classError.size(); ++k) {
            cls << QString::number(k);
            err << runPercent(r.classError[k]);
        }
        io.out << "\n" << textTable({cls, err});
    }
    if (!r.latencyMs.empty())
        io.out << "\npad latency while training: " << str(latencySummary(r.latencyMs)) << "\n";
    return ExitOk;
}

int compare(const RunStore& store, const ParsedArgs& a, const QStringList& ids, const Io& io)
{
    if (ids.size() < 2)
        throw UsageError("runs compare takes two or more run numbers");
    std::vector<nn::RunRecord> runs;
    for (const QString& id : ids)
        runs.push_back(loadRun(store, runId(id)));
    const auto diff = settingsDiff(runs, false);
    if (a.isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const auto& r : runs)
            arr.append(runJson(r, false));
        QJsonObject differs;
        for (const SettingsRow& row : diff)
            if (row.differs)
                differs[row.key] = QJsonArray::fromStringList(row.values);
        printJson(QJsonObject{{QStringLiteral("runs"), arr}, {QStringLiteral("differing_settings"), differs}}, io);
        return ExitOk;
    }
    QStringList head{QString()};
    for (const auto& r : runs)
        head << QStringLiteral("#%1").arg(r.id);
    std::vector<QStringList> rows{head};
    for (const QString& k : {QStringLiteral("status"), QStringLiteral("epochs"), QStringLiteral("val_accuracy"),
                             QStringLiteral("best_val_accuracy"), QStringLiteral("test_accuracy"),
                             QStringLiteral("my_digits"), QStringLiteral("duration"), QStringLiteral("images_per_second")}) {
        const RunColumn& c = runColumns()[std::size_t(runColumnIndex(k))];
        QStringList row{c.title};
        for (const auto& r : runs)
            row << c.text(r);
        rows.push_back(row);
    }
    io.out << textTable(rows) << "\nsettings that differ:\n";
    std::vector<QStringList> d{head};
    for (const SettingsRow& row : diff)
        if (row.differs)
            d.push_back(QStringList{row.key} + row.values);
    if (d.size() == 1)
        io.out << "  none\n";
    else
        io.out << textTable(d);
    return ExitOk;
}

void writeFile(const QString& path, const QString& text)
{
    QSaveFile f(path);  // complete or not at all
    if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0 || !f.commit())
        throw nn::FileError(path.toStdString(), "cannot write: " + f.errorString().toStdString());
}

int exportRuns(const RunStore& store, const ParsedArgs& a, const Io& io)
{
    std::vector<nn::RunRecord> runs;
    for (const auto& r : filtered(store, a))
        runs.push_back(a.isSet(QStringLiteral("curves")) ? loadRun(store, r.id) : r);
    const QString table = runsCsv(runs);
    if (a.isSet(QStringLiteral("csv")))
        writeFile(a.value(QStringLiteral("csv")), table);
    else
        io.out << str(table);
    if (a.isSet(QStringLiteral("curves")))
        writeFile(a.value(QStringLiteral("curves")), curvesCsv(runs));
    if (a.isSet(QStringLiteral("csv")) || a.isSet(QStringLiteral("curves")))
        io.err << "exported " << runs.size() << (runs.size() == 1 ? " run" : " runs") << "\n";
    return ExitOk;
}

}  // namespace

int runsCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("runs"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const QStringList pos = a.positional();
    if (pos.isEmpty())
        throw UsageError("runs needs a subcommand: list, show ID, compare ID ID... or export");
    const QString sub = pos.front();
    const QStringList rest = pos.mid(1);
    const bool known = sub == QLatin1String("list") || sub == QLatin1String("show") ||
                       sub == QLatin1String("compare") || sub == QLatin1String("export");
    if (!known)
        throw UsageError("unknown runs subcommand '" + sub.toStdString() + "' (list, show, compare, export)");
    if ((sub == QLatin1String("list") || sub == QLatin1String("export")) && !rest.isEmpty())
        throw UsageError("runs " + sub.toStdString() + " takes no run numbers");
    if (sub != QLatin1String("export") && (a.isSet(QStringLiteral("csv")) || a.isSet(QStringLiteral("curves"))))
        throw UsageError("--csv and --curves belong to 'runs export'");
    const QString path = a.value(QStringLiteral("runs-db"), RunStore::defaultPath());
    const RunStore store(path);
    if (!store.notice().isEmpty())
        io.err << "digitpad-cli: " << str(store.notice()) << "\n";
    if (sub == QLatin1String("list"))
        return list(store, a, io);
    if (sub == QLatin1String("show"))
        return show(store, a, rest, io);
    if (sub == QLatin1String("compare"))
        return compare(store, a, rest, io);
    return exportRuns(store, a, io);
}

}  // namespace app::cli
