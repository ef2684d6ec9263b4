#pragma once
// The run history: every training run (GUI or CLI) as an nn::RunRecord in an
// SQLite database (Qt SQL), by default runs.sqlite in the app data folder.
//
// - The schema has a version (PRAGMA user_version) and migrations: a database
//   written by an older DigitPad is brought up to date when opened; one
//   written by a newer one is refused, never rewritten.
// - Several writers at once (the GUI and a `digitpad-cli train`) are safe:
//   write-ahead logging, a busy timeout, and every change in one immediate
//   transaction, so a reader sees a run whole or not at all.
// - A damaged file is set aside (renamed with a timestamp) and a new one is
//   started; notice() says so. The history is never silently emptied.
//
// One RunStore is one connection: use it on the thread that made it.
#include <nn/run_record.h>

#include <QString>

#include <optional>
#include <vector>

namespace app {

class RunStore {
public:
    static constexpr int kSchemaVersion = 3;

    // $DIGITPAD_RUNS_DB, else appDataDir() + "/runs.sqlite".
    static QString defaultPath();

    // Opens (creating the file and its folder when needed) and migrates.
    // Throws nn::FileError naming the file: not a regular file, cannot be
    // created, written by a newer version, or a database error.
    explicit RunStore(const QString& path = defaultPath());
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    const QString& path() const { return m_path; }
    // Non-empty when the file was damaged and set aside on opening.
    const QString& notice() const { return m_notice; }
    QString setAsidePath() const { return m_setAside; }

    // Stores a run with its curves; returns its id (also set in `run`).
    long long add(nn::RunRecord& run);
    // All runs, newest first, without curves and latencies (cheap).
    std::vector<nn::RunRecord> list() const;
    // One run with everything; nullopt when there is no such id.
    std::optional<nn::RunRecord> load(long long id) const;
    // False when there was no such run.
    bool remove(long long id);
    bool setModelPath(long long id, const QString& modelPath);

    // The schema version of the open database (kSchemaVersion after opening).
    int schemaVersion() const;

private:
    void open();
    void migrate(int from);
    QString m_path, m_connection, m_notice, m_setAside;
};

}  // namespace app
