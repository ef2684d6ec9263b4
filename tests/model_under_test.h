#pragma once
// The model that the model-quality tests (test_not_a_digit,
// test_digit_styles, test_drawn_accuracy) measure: the embedded default model, or the model file
// named by $DIGITPAD_TEST_MODEL -- so that a candidate is measured by the
// very same tests before it replaces resources/models/default.dpm:
//   DIGITPAD_TEST_MODEL=candidate.dpm build/tests/test_digit_styles
#include "common/defaultmodel.h"

#include <nn/model.h>

#include <QtGlobal>

#include <memory>

inline std::shared_ptr<const nn::Model> modelUnderTest()
{
    const QString path = qEnvironmentVariable("DIGITPAD_TEST_MODEL");
    if (path.isEmpty())
        return app::loadDefaultModel();
    qInfo("measuring %s (DIGITPAD_TEST_MODEL), not the default model", qPrintable(path));
    return std::make_shared<const nn::Model>(app::loadModelFile(path));
}
