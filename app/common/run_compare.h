#pragma once
// What the Runs page and `digitpad-cli runs` show of the run history, as
// plain functions tested without a window: the table's columns (one list for
// the page, the CLI and the CSV), filtering, the settings diff, CSV and JSON,
// and a colour per run that stays put while the run is shown.
#include <nn/run_record.h>

#include <QColor>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <map>
#include <vector>

namespace app {

struct RunColumn {
    QString key;    // CSV header and JSON key: "test_accuracy"
    QString title;  // table header: "Test"
    // Shown text ("98.12%", "missing: /x.dpm") and the value to sort by.
    QString (*text)(const nn::RunRecord&);
    QVariant (*sortValue)(const nn::RunRecord&);
};
const std::vector<RunColumn>& runColumns();
int runColumnIndex(const QString& key);  // -1 when unknown
// A column's title in the GUI's language (the CLI, with no translator, keeps English).
QString runColumnTitle(const RunColumn& c);
// The ways a run ends as the history stores them ("finished", "early-stopped",
// "stopped", "diverged"), and one of them in the GUI's language.
QStringList runStatuses();
QString runStatusText(const QString& status);

// "sweep-20261201-153000 trial 3 fold 2" for a search's trial; "" otherwise.
QString runSearchText(const nn::RunRecord& r);
// "98.12%"; "" for -1 (not measured).
QString runPercent(double fraction);
// The model file's state: "" (none saved), the path, or "missing: PATH".
QString runModelText(const nn::RunRecord& r);
bool runModelMissing(const nn::RunRecord& r);

// Every word of `text` (case-insensitive) appears in one of the run's cells,
// its settings or its message; `status` empty or equal to the run's.
bool runMatches(const nn::RunRecord& r, const QString& text, const QString& status = {});

// One row per setting that any of the runs has: architecture, each key of the
// settings line, data and its checksum, threads, CPU, front end.
struct SettingsRow {
    QString key;
    QStringList values;  // one per run, "" when the run lacks the key
    bool differs = false;
};
std::vector<SettingsRow> settingsDiff(const std::vector<nn::RunRecord>& runs, bool differentOnly = false);

// RFC 4180 field quoting.
QString csvField(const QString& s);
// The table as CSV: runColumns() plus settings, one row per run.
QString runsCsv(const std::vector<nn::RunRecord>& runs);
// The curves as CSV, one row per point:
// run,label,kind(epoch|batch),epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,images_per_second
QString curvesCsv(const std::vector<nn::RunRecord>& runs);

// A run for --json: every column and the settings; with `full`, its curves,
// per-class errors and latency percentiles too.
QJsonObject runJson(const nn::RunRecord& r, bool full);

// p50, p90, p99 and the maximum of the pad's latencies, e.g.
// "p50 0.42 ms, p90 0.61 ms, p99 1.9 ms, max 3.0 ms (1,234 predictions)"; "" when none.
QString latencySummary(const std::vector<double>& ms);

// Counts of `samples` in `bins` equal bins over [0, hi); values at or above
// hi go in the last bin. hi <= 0: the 99th percentile times 1.25 (at least 0.01).
struct Histogram {
    double binWidth = 0;
    std::vector<int> counts;
};
Histogram histogram(const std::vector<double>& samples, int bins, double hi = 0);

// A colour for each shown run: a run keeps its colour as long as it is shown;
// a new one takes its own palette entry (by id) when free, else the first free.
class RunColors {
public:
    // The runs now shown; colours of the others are released.
    void show(const std::vector<long long>& ids);
    QColor color(long long id) const;  // invalid for a run not shown
    static const std::vector<QColor>& palette();

private:
    std::map<long long, int> m_index;
};

}  // namespace app
