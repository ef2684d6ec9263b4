// digitpad-cli train records its runs and `digitpad-cli runs` reads them
// (issue 17), through the real executable on a temporary run history.
#include "cli_process.h"
#include "fixtures.h"

#include <nn/data/idx.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <random>

namespace {

using Run = CliRun;

Run cli(const QStringList& args, const QString& db)
{
    QProcessEnvironment env;
    env.insert("DIGITPAD_RUNS_DB", db);
    return runCli(args, env);
}

void writeFixture(const QString& dir, const QString& prefix, int n, std::uint64_t seed)
{
    fixtures::writeBarIdx(dir.toStdString(), prefix.toStdString(), n, seed);
}

QJsonDocument json(const QString& text)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(text.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(text));
    return d;
}

}  // namespace

class TestCliRuns : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("data");
        QDir().mkpath(m_data);
        writeFixture(m_data, "train", 600, 3);
        writeFixture(m_data, "t10k", 200, 4);
    }

    void trainRecordsAndRunsReads()
    {
        const QString db = m_dir.filePath("env.sqlite");
        const QString m1 = m_dir.filePath("one.dpm"), m2 = m_dir.filePath("two.dpm");
        const QStringList common{"train", "--arch", "dense 10", "--epochs", "2", "--data", m_data, "--threads", "1"};
        Run t = cli(common + QStringList{"--out", m1, "--lr", "0.003"}, db);
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QVERIFY2(t.out.contains("recorded as run 1 in " + db), qPrintable(t.out));
        t = cli(common + QStringList{"--out", m2, "--optimizer", "sgd", "--lr", "0.05"}, db);
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QVERIFY2(t.out.contains("recorded as run 2"), qPrintable(t.out));
        // --no-record leaves the history alone; --runs-db picks another one.
        t = cli(common + QStringList{"--out", m_dir.filePath("three.dpm"), "--no-record"}, db);
        QVERIFY2(t.code == 0 && !t.out.contains("recorded"), qPrintable(t.out));
        const QString other = m_dir.filePath("other.sqlite");
        t = cli(common + QStringList{"--out", m_dir.filePath("four.dpm"), "--runs-db", other}, db);
        QVERIFY2(t.out.contains("recorded as run 1 in " + other), qPrintable(t.out));

        Run l = cli({"runs", "list"}, db);
        QVERIFY2(l.code == 0, qPrintable(l.err));
        QStringList lines = l.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith("Run  Started (UTC)"));
        QVERIFY2(lines[1].startsWith("2 ") && lines[1].contains("sgd") && lines[1].contains("0.05"), qPrintable(lines[1]));
        QVERIFY2(lines[2].startsWith("1 ") && lines[2].contains("adam") && lines[2].contains(m1), qPrintable(lines[2]));

        const QJsonArray arr = json(cli({"runs", "list", "--json"}, db).out).array();
        QCOMPARE(arr.size(), 2);
        QCOMPARE(arr[0]["id"].toInt(), 2);
        QCOMPARE(arr[0]["settings"]["opt"].toString(), QStringLiteral("sgd"));
        QCOMPARE(arr[1]["model"].toString(), m1);
        QCOMPARE(arr[1]["model_missing"].toBool(), false);
        QCOMPARE(arr[1]["status"].toString(), QStringLiteral("finished"));
        QVERIFY(arr[1]["test_accuracy"].toDouble() > 0.1);

        const QJsonObject one = json(cli({"runs", "show", "1", "--json"}, db).out).object();
        QCOMPARE(one["epoch_curve"].toArray().size(), 2);
        QCOMPARE(one["class_error"].toArray().size(), 10);
        QCOMPARE(one["class_error_set"].toString(), QStringLiteral("test"));
        QVERIFY(one["command"].toString().contains("--lr 0.003"));
        QVERIFY(one["batch_points"].toInt() > 0);

        // A model file that went away is shown as missing.
        QVERIFY(QFile::remove(m1));
        Run s = cli({"runs", "show", "1"}, db);
        QVERIFY2(s.code == 0, qPrintable(s.err));
        QVERIFY2(s.out.contains("Model file:     missing: " + m1), qPrintable(s.out));
        QVERIFY2(s.out.contains("error (test)"), qPrintable(s.out));

        Run c = cli({"runs", "compare", "1", "2"}, db);
        QVERIFY2(c.code == 0, qPrintable(c.err));
        QVERIFY2(c.out.contains("settings that differ:"), qPrintable(c.out));
        QVERIFY2(c.out.contains(QRegularExpression("\\nlr +0\\.003 +0\\.05\\n")), qPrintable(c.out));
        QVERIFY2(c.out.contains(QRegularExpression("\\nopt +adam +sgd\\n")), qPrintable(c.out));
        QVERIFY2(!c.out.contains(QRegularExpression("\\nbatch +")), qPrintable(c.out));  // same in both

        const QString csv = m_dir.filePath("runs.csv"), curves = m_dir.filePath("curves.csv");
        Run e = cli({"runs", "export", "--csv", csv, "--curves", curves}, db);
        QVERIFY2(e.code == 0, qPrintable(e.err));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[1].startsWith("2,"));
        QFile g(curves);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QString cv = QString::fromUtf8(g.readAll());
        QVERIFY(cv.startsWith("run,label,kind,epoch,step,"));
        QCOMPARE(cv.count(QRegularExpression("\\n1,[^\\n]*,epoch,")), 2);
        // To stdout when no file is given, filtered.
        Run so = cli({"runs", "export", "--filter", "sgd"}, db);
        QCOMPARE(so.out.split('\n', Qt::SkipEmptyParts).size(), 2);
    }

    void mistakesAreExplained()
    {
        const QString db = m_dir.filePath("mistakes.sqlite");
        Run r = cli({"runs", "show", "7"}, db);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("there is no run 7 in " + db), qPrintable(r.err));
        r = cli({"runs", "frobnicate"}, db);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("unknown runs subcommand 'frobnicate'"), qPrintable(r.err));
        r = cli({"runs", "compare", "1"}, db);
        QCOMPARE(r.code, 2);
        r = cli({"runs", "show", "x"}, db);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("expected a run number, got 'x'"), qPrintable(r.err));
        r = cli({"runs", "list"}, db);
        QVERIFY2(r.code == 0 && r.out.contains("no runs recorded"), qPrintable(r.out));
        // A damaged history: set aside with a message, then an empty list.
        const QString bad = m_dir.filePath("bad.sqlite");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(3000, 'q'));
        f.close();
        r = cli({"runs", "list"}, bad);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("was damaged") && r.err.contains(bad + ".damaged-"), qPrintable(r.err));
    }

private:
    QTemporaryDir m_dir;
    QString m_data;
};

QTEST_MAIN(TestCliRuns)
#include "test_cli_runs.moc"
