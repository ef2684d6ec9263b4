#pragma once
// The one copy of MNIST in the process. The data browser, the evaluation page
// and training all ask this store, so the 47 MB of training images are read
// once however many pages use them. Thread-safe: every caller loads on its
// own worker thread; a second caller waits for the first one's load.
#include <nn/data/dataset.h>

#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace app {

class MnistStore {
public:
    // The split from `dir`, loaded on first use. Files that changed on disk
    // since (a new download) are read again. Throws nn::FileError.
    std::shared_ptr<const nn::Dataset> get(const std::string& dir, nn::Split split);
    std::shared_ptr<const nn::Dataset> get(const QString& dir, nn::Split split) { return get(dir.toStdString(), split); }

    // True when both files of the split are in dir (raw or .gz).
    static bool present(const QString& dir, nn::Split split);

    // Forgets every loaded set (the memory is freed once no page holds it).
    void clear();

private:
    struct Entry {
        std::string stamp;  // the files' paths, sizes and modification times
        std::shared_ptr<const nn::Dataset> data;
    };
    std::mutex m_mutex;
    std::map<std::pair<std::string, int>, Entry> m_entries;
};

// The process-wide store.
MnistStore& mnistStore();

}  // namespace app
