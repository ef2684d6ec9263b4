#include "mnist_store.h"

#include <filesystem>
#include <system_error>

namespace app {

namespace {

std::string stampOf(const std::string& dir, nn::Split split)
{
    const auto [images, labels] = nn::mnistFileNames(split);
    std::string stamp;
    for (const std::string& base : {images, labels}) {
        const std::string path = nn::findMnistFile(dir, base);
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        const auto time = std::filesystem::last_write_time(path, ec);
        stamp += path + '|' + std::to_string(ec ? 0 : size) + '|' +
                 std::to_string(ec ? 0 : time.time_since_epoch().count()) + ';';
    }
    return stamp;
}

}  // namespace

std::shared_ptr<const nn::Dataset> MnistStore::get(const std::string& dir, nn::Split split)
{
    std::lock_guard lock(m_mutex);
    Entry& e = m_entries[{dir, int(split)}];
    const std::string stamp = stampOf(dir, split);
    if (!e.data || e.stamp != stamp) {
        e.data.reset();  // the old copy goes before the new one is read
        e.data = std::make_shared<const nn::Dataset>(nn::Dataset::loadMnist(dir, split));
        e.stamp = stamp;
    }
    return e.data;
}

bool MnistStore::present(const QString& dir, nn::Split split) { return nn::mnistPresent(dir.toStdString(), split); }

void MnistStore::clear()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear();
}

MnistStore& mnistStore()
{
    static MnistStore store;
    return store;
}

}  // namespace app
