#include "run_store.h"

#include "defaultmodel.h"

#include <nn/errors.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

#include <atomic>

namespace app {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
std::string ss(const QVariant& v) { return v.toString().toStdString(); }

// The columns of `runs`: one table drives creation, migration, insertion
// and reading, so they cannot disagree. `since`: the schema version that
// added the column (1: the first table).
struct Column {
    const char* name;
    const char* type;  // with its default for columns added by a migration
    int since;
    QVariant (*get)(const nn::RunRecord&);
    void (*set)(nn::RunRecord&, const QVariant&);
};

const Column kColumns[] = {
    {"started_at", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.startedAt)); },
     [](nn::RunRecord& r, const QVariant& v) { r.startedAt = ss(v); }},
    {"front_end", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.frontEnd)); },
     [](nn::RunRecord& r, const QVariant& v) { r.frontEnd = ss(v); }},
    {"spec", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.spec)); },
     [](nn::RunRecord& r, const QVariant& v) { r.spec = ss(v); }},
    {"settings", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.settings)); },
     [](nn::RunRecord& r, const QVariant& v) { r.settings = ss(v); }},
    {"data", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.data)); },
     [](nn::RunRecord& r, const QVariant& v) { r.data = ss(v); }},
    {"status", "TEXT NOT NULL DEFAULT 'finished'", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.status)); },
     [](nn::RunRecord& r, const QVariant& v) { r.status = ss(v); }},
    {"message", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.message)); },
     [](nn::RunRecord& r, const QVariant& v) { r.message = ss(v); }},
    {"epochs_completed", "INTEGER NOT NULL DEFAULT 0", 1,
     [](const nn::RunRecord& r) { return QVariant(r.epochsCompleted); },
     [](nn::RunRecord& r, const QVariant& v) { r.epochsCompleted = v.toInt(); }},
    {"val_accuracy", "REAL NOT NULL DEFAULT -1", 1, [](const nn::RunRecord& r) { return QVariant(r.valAccuracy); },
     [](nn::RunRecord& r, const QVariant& v) { r.valAccuracy = v.toDouble(); }},
    {"test_accuracy", "REAL NOT NULL DEFAULT -1", 1, [](const nn::RunRecord& r) { return QVariant(r.testAccuracy); },
     [](nn::RunRecord& r, const QVariant& v) { r.testAccuracy = v.toDouble(); }},
    {"seconds", "REAL NOT NULL DEFAULT 0", 1, [](const nn::RunRecord& r) { return QVariant(r.seconds); },
     [](nn::RunRecord& r, const QVariant& v) { r.seconds = v.toDouble(); }},
    {"model_path", "TEXT NOT NULL DEFAULT ''", 1, [](const nn::RunRecord& r) { return QVariant(qs(r.modelPath)); },
     [](nn::RunRecord& r, const QVariant& v) { r.modelPath = ss(v); }},
    // Version 2: the whole settings, throughput, My Digits, monitoring.
    {"command", "TEXT NOT NULL DEFAULT ''", 2, [](const nn::RunRecord& r) { return QVariant(qs(r.command)); },
     [](nn::RunRecord& r, const QVariant& v) { r.command = ss(v); }},
    {"parameters", "INTEGER NOT NULL DEFAULT 0", 2,
     [](const nn::RunRecord& r) { return QVariant(qlonglong(r.parameters)); },
     [](nn::RunRecord& r, const QVariant& v) { r.parameters = v.toLongLong(); }},
    {"data_dir", "TEXT NOT NULL DEFAULT ''", 2, [](const nn::RunRecord& r) { return QVariant(qs(r.dataDir)); },
     [](nn::RunRecord& r, const QVariant& v) { r.dataDir = ss(v); }},
    {"data_crc", "TEXT NOT NULL DEFAULT ''", 2, [](const nn::RunRecord& r) { return QVariant(qs(r.dataCrc)); },
     [](nn::RunRecord& r, const QVariant& v) { r.dataCrc = ss(v); }},
    {"train_size", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.trainSize); },
     [](nn::RunRecord& r, const QVariant& v) { r.trainSize = v.toInt(); }},
    {"validation_size", "INTEGER NOT NULL DEFAULT 0", 2,
     [](const nn::RunRecord& r) { return QVariant(r.validationSize); },
     [](nn::RunRecord& r, const QVariant& v) { r.validationSize = v.toInt(); }},
    {"test_size", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.testSize); },
     [](nn::RunRecord& r, const QVariant& v) { r.testSize = v.toInt(); }},
    {"threads", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.threads); },
     [](nn::RunRecord& r, const QVariant& v) { r.threads = v.toInt(); }},
    {"cpu", "TEXT NOT NULL DEFAULT ''", 2, [](const nn::RunRecord& r) { return QVariant(qs(r.cpu)); },
     [](nn::RunRecord& r, const QVariant& v) { r.cpu = ss(v); }},
    {"fine_tune", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.fineTune ? 1 : 0); },
     [](nn::RunRecord& r, const QVariant& v) { r.fineTune = v.toInt() != 0; }},
    {"resumed", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.resumed ? 1 : 0); },
     [](nn::RunRecord& r, const QVariant& v) { r.resumed = v.toInt() != 0; }},
    {"epochs", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.epochs); },
     [](nn::RunRecord& r, const QVariant& v) { r.epochs = v.toInt(); }},
    {"steps", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(qlonglong(r.steps)); },
     [](nn::RunRecord& r, const QVariant& v) { r.steps = v.toLongLong(); }},
    {"best_val_accuracy", "REAL NOT NULL DEFAULT -1", 2,
     [](const nn::RunRecord& r) { return QVariant(r.bestValAccuracy); },
     [](nn::RunRecord& r, const QVariant& v) { r.bestValAccuracy = v.toDouble(); }},
    {"best_val_loss", "REAL NOT NULL DEFAULT -1", 2, [](const nn::RunRecord& r) { return QVariant(r.bestValLoss); },
     [](nn::RunRecord& r, const QVariant& v) { r.bestValLoss = v.toDouble(); }},
    {"test_loss", "REAL NOT NULL DEFAULT -1", 2, [](const nn::RunRecord& r) { return QVariant(r.testLoss); },
     [](nn::RunRecord& r, const QVariant& v) { r.testLoss = v.toDouble(); }},
    {"user_held_out", "INTEGER NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.userHeldOut); },
     [](nn::RunRecord& r, const QVariant& v) { r.userHeldOut = v.toInt(); }},
    {"user_before", "REAL NOT NULL DEFAULT -1", 2, [](const nn::RunRecord& r) { return QVariant(r.userBefore); },
     [](nn::RunRecord& r, const QVariant& v) { r.userBefore = v.toDouble(); }},
    {"user_after", "REAL NOT NULL DEFAULT -1", 2, [](const nn::RunRecord& r) { return QVariant(r.userAfter); },
     [](nn::RunRecord& r, const QVariant& v) { r.userAfter = v.toDouble(); }},
    {"train_seconds", "REAL NOT NULL DEFAULT 0", 2, [](const nn::RunRecord& r) { return QVariant(r.trainSeconds); },
     [](nn::RunRecord& r, const QVariant& v) { r.trainSeconds = v.toDouble(); }},
    {"images_per_second", "REAL NOT NULL DEFAULT 0", 2,
     [](const nn::RunRecord& r) { return QVariant(r.imagesPerSecond); },
     [](nn::RunRecord& r, const QVariant& v) { r.imagesPerSecond = v.toDouble(); }},
    {"class_error_set", "TEXT NOT NULL DEFAULT ''", 2,
     [](const nn::RunRecord& r) { return QVariant(qs(r.classErrorSet)); },
     [](nn::RunRecord& r, const QVariant& v) { r.classErrorSet = ss(v); }},
    // Version 3: the hyperparameter search a run was a trial of.
    {"search_id", "TEXT NOT NULL DEFAULT ''", 3, [](const nn::RunRecord& r) { return QVariant(qs(r.searchId)); },
     [](nn::RunRecord& r, const QVariant& v) { r.searchId = ss(v); }},
    {"search_trial", "INTEGER NOT NULL DEFAULT -1", 3, [](const nn::RunRecord& r) { return QVariant(r.searchTrial); },
     [](nn::RunRecord& r, const QVariant& v) { r.searchTrial = v.toInt(); }},
    {"search_fold", "INTEGER NOT NULL DEFAULT -1", 3, [](const nn::RunRecord& r) { return QVariant(r.searchFold); },
     [](nn::RunRecord& r, const QVariant& v) { r.searchFold = v.toInt(); }},
};

std::atomic<int> g_connections{0};

class Db {
public:
    Db(const QString& connection, const QString& path) : m_db(QSqlDatabase::database(connection, false)), m_path(path) {}

    // Runs one statement; throws FileError with SQLite's message.
    QSqlQuery exec(const QString& sql, const QVariantList& binds = {}) const
    {
        QSqlQuery q(m_db);
        if (!q.prepare(sql))
            fail(q, sql);
        for (const QVariant& v : binds)
            q.addBindValue(v);
        if (!q.exec())
            fail(q, sql);
        return q;
    }
    [[noreturn]] void fail(const QSqlQuery& q, const QString& sql) const
    {
        throw nn::FileError(m_path.toStdString(), "run history: " + q.lastError().text().toStdString() + " (in '" +
                                                      sql.left(60).toStdString() + "')");
    }
    QSqlDatabase& db() { return m_db; }

private:
    QSqlDatabase m_db;
    QString m_path;
};

// BEGIN IMMEDIATE takes the write lock at once (waiting up to the busy
// timeout), so two writers never fail half-way through a transaction.
class Transaction {
public:
    explicit Transaction(Db& db) : m_db(db) { m_db.exec(QStringLiteral("BEGIN IMMEDIATE")); }
    ~Transaction()
    {
        if (!m_done) {
            QSqlQuery q(m_db.db());
            q.exec(QStringLiteral("ROLLBACK"));
        }
    }
    void commit()
    {
        m_db.exec(QStringLiteral("COMMIT"));
        m_done = true;
    }

private:
    Db& m_db;
    bool m_done = false;
};

QString columnList()
{
    QStringList names;
    for (const Column& c : kColumns)
        names << QString::fromLatin1(c.name);
    return names.join(QLatin1Char(','));
}

void readRow(const QSqlQuery& q, nn::RunRecord& r)
{
    r.id = q.value(QStringLiteral("id")).toLongLong();
    for (const Column& c : kColumns)
        c.set(r, q.value(QString::fromLatin1(c.name)));
}

}  // namespace

QString RunStore::defaultPath()
{
    const QByteArray env = qgetenv("DIGITPAD_RUNS_DB");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return appDataDir() + QStringLiteral("/runs.sqlite");
}

RunStore::RunStore(const QString& path)
    : m_path(path), m_connection(QStringLiteral("digitpad-runs-%1").arg(g_connections.fetch_add(1)))
{
    const std::string p = path.toStdString();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        throw nn::FileError(p, "cannot open the run history: Qt's SQLite driver is not installed (Debian package "
                               "libqt6sql6-sqlite)");
    const QFileInfo fi(path);
    if (fi.exists() && !fi.isFile())
        throw nn::FileError(p, "the run history is not a regular file");
    if (!QDir().mkpath(fi.absolutePath()))
        throw nn::FileError(p, "cannot create the folder " + fi.absolutePath().toStdString());
    open();
}

RunStore::~RunStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

void RunStore::open()
{
    const std::string p = m_path.toStdString();
    for (int attempt = 0; attempt < 2; ++attempt) {
        QString damage;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
            db.setDatabaseName(m_path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=15000"));
            if (!db.open())
                throw nn::FileError(p, "cannot open the run history: " + db.lastError().text().toStdString());
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next())
                damage = q.lastError().text();
            else if (q.value(0).toString() != QLatin1String("ok"))
                damage = q.value(0).toString();
        }
        if (damage.isEmpty())
            break;
        // Damaged: set it aside (with its WAL files) and start a new one.
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
        if (attempt > 0)
            throw nn::FileError(p, "the new run history is damaged too: " + damage.toStdString());
        const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        QString aside = m_path + QStringLiteral(".damaged-") + stamp;
        for (int n = 2; QFileInfo::exists(aside); ++n)
            aside = m_path + QStringLiteral(".damaged-%1-%2").arg(stamp).arg(n);
        if (!QFile::rename(m_path, aside))
            throw nn::FileError(p, "the run history is damaged (" + damage.toStdString() +
                                       ") and could not be set aside; move it away to start a new one");
        for (const char* suffix : {"-wal", "-shm"})
            if (QFileInfo::exists(m_path + QLatin1String(suffix)))
                QFile::rename(m_path + QLatin1String(suffix), aside + QLatin1String(suffix));
        m_setAside = aside;
        m_notice = QStringLiteral("The run history %1 was damaged (%2). It was set aside as %3 and a new, empty "
                                  "history was started.")
                       .arg(QDir::toNativeSeparators(m_path), damage, QDir::toNativeSeparators(aside));
    }
    Db db(m_connection, m_path);
    db.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    db.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    const int version = schemaVersion();
    if (version > kSchemaVersion)
        throw nn::FileError(p, "the run history was written by a newer DigitPad (schema version " +
                                   std::to_string(version) + ", this one knows up to " +
                                   std::to_string(kSchemaVersion) + "); it is left as it is");
    if (version < kSchemaVersion)
        migrate(version);
}

int RunStore::schemaVersion() const
{
    QSqlQuery q = Db(m_connection, m_path).exec(QStringLiteral("PRAGMA user_version"));
    return q.next() ? q.value(0).toInt() : 0;
}

void RunStore::migrate(int from)
{
    Db db(m_connection, m_path);
    Transaction t(db);
    // Another writer may have migrated it meanwhile.
    from = schemaVersion();
    if (from >= kSchemaVersion) {
        t.commit();
        return;
    }
    if (from < 1) {
        QStringList cols{QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT")};
        for (const Column& c : kColumns)
            if (c.since == 1)
                cols << QStringLiteral("%1 %2").arg(QLatin1String(c.name), QLatin1String(c.type));
        db.exec(QStringLiteral("CREATE TABLE runs (%1)").arg(cols.join(QStringLiteral(", "))));
        db.exec(QStringLiteral("CREATE TABLE epochs (run_id INTEGER NOT NULL, epoch INTEGER NOT NULL, "
                               "train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL, lr REAL, "
                               "seconds REAL, PRIMARY KEY (run_id, epoch))"));
    }
    if (from < 2) {
        for (const Column& c : kColumns)
            if (c.since == 2)
                db.exec(QStringLiteral("ALTER TABLE runs ADD COLUMN %1 %2").arg(QLatin1String(c.name), QLatin1String(c.type)));
        db.exec(QStringLiteral("ALTER TABLE epochs ADD COLUMN images_per_second REAL NOT NULL DEFAULT 0"));
        db.exec(QStringLiteral("ALTER TABLE epochs ADD COLUMN best INTEGER NOT NULL DEFAULT 0"));
        db.exec(QStringLiteral("CREATE TABLE batches (run_id INTEGER NOT NULL, step INTEGER NOT NULL, epoch INTEGER, "
                               "loss REAL, accuracy REAL, lr REAL, PRIMARY KEY (run_id, step))"));
        db.exec(QStringLiteral("CREATE TABLE class_errors (run_id INTEGER NOT NULL, class INTEGER NOT NULL, "
                               "error REAL, PRIMARY KEY (run_id, class))"));
        db.exec(QStringLiteral("CREATE TABLE latencies (run_id INTEGER NOT NULL, ms REAL NOT NULL)"));
        db.exec(QStringLiteral("CREATE INDEX latencies_run ON latencies (run_id)"));
    }
    if (from < 3) {
        for (const Column& c : kColumns)
            if (c.since == 3)
                db.exec(QStringLiteral("ALTER TABLE runs ADD COLUMN %1 %2").arg(QLatin1String(c.name), QLatin1String(c.type)));
        db.exec(QStringLiteral("CREATE INDEX runs_search ON runs (search_id)"));
    }
    db.exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion));
    t.commit();
}

long long RunStore::add(nn::RunRecord& r)
{
    Db db(m_connection, m_path);
    Transaction t(db);
    QVariantList values;
    QStringList marks;
    for (const Column& c : kColumns) {
        values << c.get(r);
        marks << QStringLiteral("?");
    }
    const QSqlQuery ins = db.exec(
        QStringLiteral("INSERT INTO runs (%1) VALUES (%2)").arg(columnList(), marks.join(QLatin1Char(','))), values);
    const long long id = ins.lastInsertId().toLongLong();
    for (const nn::EpochReport& e : r.epochCurve)
        db.exec(QStringLiteral("INSERT OR REPLACE INTO epochs (run_id, epoch, train_loss, train_accuracy, val_loss, "
                               "val_accuracy, lr, seconds, images_per_second, best) VALUES (?,?,?,?,?,?,?,?,?,?)"),
                {id, e.epoch, e.trainLoss, e.trainAccuracy, e.valLoss, e.valAccuracy, double(e.lr), e.seconds,
                 e.imagesPerSecond, e.best ? 1 : 0});
    for (const nn::RunBatchPoint& b : r.batchCurve)
        db.exec(QStringLiteral("INSERT OR REPLACE INTO batches (run_id, step, epoch, loss, accuracy, lr) VALUES "
                               "(?,?,?,?,?,?)"),
                {id, qlonglong(b.step), b.epoch, b.loss, b.accuracy, double(b.lr)});
    for (std::size_t k = 0; k < r.classError.size(); ++k)
        db.exec(QStringLiteral("INSERT INTO class_errors (run_id, class, error) VALUES (?,?,?)"),
                {id, int(k), r.classError[k]});
    for (double ms : r.latencyMs)
        db.exec(QStringLiteral("INSERT INTO latencies (run_id, ms) VALUES (?,?)"), {id, ms});
    t.commit();
    r.id = id;
    return id;
}

std::vector<nn::RunRecord> RunStore::list() const
{
    Db db(m_connection, m_path);
    QSqlQuery q = db.exec(QStringLiteral("SELECT id,%1 FROM runs ORDER BY id DESC").arg(columnList()));
    std::vector<nn::RunRecord> out;
    while (q.next()) {
        nn::RunRecord r;
        readRow(q, r);
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<nn::RunRecord> RunStore::load(long long id) const
{
    Db db(m_connection, m_path);
    // One read transaction: a run being deleted meanwhile is seen whole or not at all.
    db.exec(QStringLiteral("BEGIN"));
    struct End {
        Db& db;
        ~End()
        {
            QSqlQuery q(db.db());
            q.exec(QStringLiteral("COMMIT"));
        }
    } end{db};
    QSqlQuery q = db.exec(QStringLiteral("SELECT id,%1 FROM runs WHERE id = ?").arg(columnList()), {qlonglong(id)});
    if (!q.next())
        return std::nullopt;
    nn::RunRecord r;
    readRow(q, r);
    q = db.exec(QStringLiteral("SELECT epoch, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, "
                               "images_per_second, best FROM epochs WHERE run_id = ? ORDER BY epoch"),
                {qlonglong(id)});
    while (q.next()) {
        nn::EpochReport e;
        e.epoch = q.value(0).toInt();
        e.epochs = r.epochs;
        e.trainLoss = q.value(1).toDouble();
        e.trainAccuracy = q.value(2).toDouble();
        e.valLoss = q.value(3).toDouble();
        e.valAccuracy = q.value(4).toDouble();
        e.lr = q.value(5).toFloat();
        e.seconds = q.value(6).toDouble();
        e.imagesPerSecond = q.value(7).toDouble();
        e.best = q.value(8).toInt() != 0;
        r.epochCurve.push_back(e);
    }
    q = db.exec(QStringLiteral("SELECT step, epoch, loss, accuracy, lr FROM batches WHERE run_id = ? ORDER BY step"),
                {qlonglong(id)});
    while (q.next())
        r.batchCurve.push_back({q.value(0).toLongLong(), q.value(1).toInt(), q.value(2).toDouble(),
                                q.value(3).toDouble(), q.value(4).toFloat()});
    q = db.exec(QStringLiteral("SELECT class, error FROM class_errors WHERE run_id = ? ORDER BY class"), {qlonglong(id)});
    while (q.next()) {
        const int k = q.value(0).toInt();
        if (k < 0 || k >= nn::kClasses)
            continue;
        if (r.classError.empty())
            r.classError.assign(nn::kClasses, -1.0);
        r.classError[std::size_t(k)] = q.value(1).toDouble();
    }
    q = db.exec(QStringLiteral("SELECT ms FROM latencies WHERE run_id = ? ORDER BY rowid"), {qlonglong(id)});
    while (q.next())
        r.latencyMs.push_back(q.value(0).toDouble());
    return r;
}

bool RunStore::remove(long long id)
{
    Db db(m_connection, m_path);
    Transaction t(db);
    const QSqlQuery q = db.exec(QStringLiteral("DELETE FROM runs WHERE id = ?"), {qlonglong(id)});
    const bool existed = q.numRowsAffected() > 0;
    for (const char* table : {"epochs", "batches", "class_errors", "latencies"})
        db.exec(QStringLiteral("DELETE FROM %1 WHERE run_id = ?").arg(QLatin1String(table)), {qlonglong(id)});
    t.commit();
    return existed;
}

bool RunStore::setModelPath(long long id, const QString& modelPath)
{
    Db db(m_connection, m_path);
    Transaction t(db);
    const QSqlQuery q = db.exec(QStringLiteral("UPDATE runs SET model_path = ? WHERE id = ?"), {modelPath, qlonglong(id)});
    const bool existed = q.numRowsAffected() > 0;
    t.commit();
    return existed;
}

}  // namespace app
