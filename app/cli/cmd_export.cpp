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
        if (QStringList{"onnx", "model", "softmax", "torch"}.contains(o.name))
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
    const ParsedArgs trainArgs(*findCommand(QStringLiteral("train")), trainingArgs(args));
    TrainOptions o = trainOptions(trainArgs);
    if (!a.isSet(QStringLiteral("arch")) && !a.isSet(QStringLiteral("preset")) && !modelPath.isEmpty()) {
        o.spec = app::loadModelFile(modelPath).spec();
        o.archLabel = "from " + modelPath.toStdString();
    }
    if (std::string why; !nn::isDigitModel(nn::Model::fromSpec(o.spec, nn::kDigitInput, 0), &why))
        throw nn::ShapeError("export --torch: " + why);
    nn::TorchProjectRequest r;
    r.spec = o.spec;
    r.config = o.config;
    r.validationFraction = o.valFraction;
    r.earlyStopPatience = o.config.earlyStopPatience;
    std::vector<std::string> argv{"digitpad-cli", "export"};
    for (const QString& s : args)
        argv.push_back(s.toStdString());
    r.command = joinCommand(argv);
    nn::writeTorchProject(torch.toStdString(), r);
    io.out << "model: " << o.archLabel << ": " << o.spec << "\n";
    io.out << "training: " << o.config.describe() << "\n";
    io.out << "wrote " << torch.toStdString() << "/train.py and " << torch.toStdString() << "/README.md\n";
    io.out << "run: cd " << torch.toStdString()
           << " && torchrun --standalone --nproc_per_node 2 train.py --data DIR  (ends with run/model.onnx)\n";
    return ExitOk;
}

}  // namespace app::cli
