// digitpad-cli export --onnx FILE | --torch DIR
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include "common/defaultmodel.h"

#include <nn/fileio.h>
#include <nn/onnx.h>
#include <nn/serialize.h>
#include <nn/torch_project.h>

#include <QFileInfo>

#include <ostream>

namespace app::cli {

namespace {

// args without export's own options, for train's parser (the training options).
QStringList trainingArgs(const QStringList& args)
{
    std::vector<OptionDef> own;
    for (const OptionDef& o : findCommand(QStringLiteral("export"))->options)
        if (QStringList{"onnx", "model", "softmax", "torch", "force"}.contains(o.name))
            own.push_back(o);
    return withoutOptions(args, own);
}

}  // namespace

int exportCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("export"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const QString onnx = a.value(QStringLiteral("onnx"));
    const QString torch = a.value(QStringLiteral("torch"));
    if (a.isSet(QStringLiteral("onnx")) == a.isSet(QStringLiteral("torch")))
        throw UsageError("export: give one of --onnx FILE and --torch DIR");
    const QString modelPath = a.value(QStringLiteral("model"));

    if (!onnx.isEmpty()) {
        if (trainingArgs(args) != QStringList{})
            throw UsageError("export --onnx writes an existing model (--model); the training options are for --torch");
        if (a.isSet(QStringLiteral("force")))
            throw UsageError("--force applies to --torch (--onnx replaces an existing file as a save does)");
        nn::checkWritable(onnx.toStdString(), false);
        const auto model = loadModelOption(modelPath);
        const bool softmax = a.isSet(QStringLiteral("softmax"));
        nn::saveOnnx(*model, onnx.toStdString(), {softmax});
        io.out << "model: " << modelName(modelPath) << ": " << model->spec() << " ("
               << formatCount(static_cast<long long>(model->trainableCount())) << " parameters)\n";
        io.out << "saved " << onnx.toStdString() << " (ONNX opset " << nn::kOnnxOpset << ", "
               << formatCount(static_cast<long long>(QFileInfo(onnx).size())) << " bytes, input N x "
               << model->inputShape().c << " x " << model->inputShape().h << " x " << model->inputShape().w
               << ", output " << (softmax ? "probabilities" : "logits") << ")\n";
        return ExitOk;
    }

    if (torch.trimmed().isEmpty())
        throw UsageError("--torch: empty folder name");
    if (a.isSet(QStringLiteral("softmax")))
        throw UsageError("--softmax applies to --onnx");
    if (!modelPath.isEmpty() && (a.isSet(QStringLiteral("arch")) || a.isSet(QStringLiteral("preset"))))
        throw UsageError("export --torch: give the architecture with --model or with --arch/--preset, not both");
    const ParsedArgs trainArgs(*findCommand(QStringLiteral("train")), trainingArgs(args));
    TrainOptions o = trainOptions(trainArgs);
    nn::SessionRequest run = sessionRequest(o);
    if (!modelPath.isEmpty()) {
        run.spec = app::loadModelFile(modelPath).spec();  // its architecture; the project trains new weights
        o.archLabel = "from " + modelPath.toStdString();
    }
    std::vector<std::string> argv{"digitpad-cli", "export"};
    for (const QString& s : args)
        argv.push_back(s.toStdString());
    const nn::TorchProjectPlan plan = nn::planTorchProject(run, joinCommand(argv));
    if (!plan.notCarried.empty()) {
        std::string list;
        for (const std::string& n : plan.notCarried)
            list += (list.empty() ? "" : "; ") + n;
        throw UsageError("export --torch: the PyTorch project cannot reproduce " + list + "; leave it out, or train here");
    }
    const std::string dir = torch.toStdString();
    const bool force = a.isSet(QStringLiteral("force"));
    if (const nn::TorchFolderState state = nn::torchFolderState(dir); !state.empty() && !force)
        throw nn::FileError(dir, "the folder is not empty (it holds " + state.describe() +
                                     "); choose a new or empty folder, or give --force to replace the project's "
                                     "train.py and README.md in it");
    nn::writeTorchProject(dir, plan.request, force);
    io.out << "model: " << o.archLabel << ": " << plan.request.spec << "\n";
    io.out << "training: " << plan.request.config.describe() << "\n";
    io.out << "wrote " << dir << "/train.py and " << dir << "/README.md\n";
    io.out << "run: " << nn::torchrunCommand(dir, app::resolveDataDir(QString()).toStdString()) << "\n";
    io.out << "then: File > Open Model, or digitpad-cli eval --model " << dir << "/" << nn::kTorchProjectOnnx
           << ", takes the trained model back\n";
    return ExitOk;
}

}  // namespace app::cli
