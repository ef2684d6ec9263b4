#pragma once
// digitpad-cli run as a process, for the tests of its commands (the
// executable's path comes from the DIGITPAD_CLI definition of each test).
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

struct CliRun {
    int code = -1;
    QString out, err;
};

// Runs digitpad-cli with `args`; `env` entries are added to this process's
// environment. code -1 and err "timed out" when it runs longer than
// timeoutMs (it is then killed).
inline CliRun runCli(const QStringList& args, const QProcessEnvironment& env = {}, const QString& workDir = {},
                     int timeoutMs = 300000)
{
    QProcess p;
    QProcessEnvironment all = QProcessEnvironment::systemEnvironment();
    for (const QString& k : env.keys())
        all.insert(k, env.value(k));
    p.setProcessEnvironment(all);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(QString(DIGITPAD_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, {}, QStringLiteral("timed out")};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}
