#include "util.h"

#include "common/defaultmodel.h"

#include <nn/parallel.h>

namespace app::cli {

std::shared_ptr<const nn::Model> loadModelOption(const QString& path)
{
    if (path.isEmpty())
        return app::loadDefaultModel();
    return std::make_shared<const nn::Model>(app::loadModelFile(path));
}

std::string modelName(const QString& path)
{
    return path.isEmpty() ? std::string("embedded default model") : path.toStdString();
}

nn::Dataset loadMnistSplit(const QString& dataOption, nn::Split split, std::string* dirOut)
{
    const std::string dir = app::resolveDataDir(dataOption).toStdString();
    if (dirOut)
        *dirOut = dir;
    return nn::Dataset::loadMnist(dir, split);
}

int effectiveThreads(int requested) { return requested > 0 ? requested : nn::ThreadPool::hardwareThreads(); }

}  // namespace app::cli
