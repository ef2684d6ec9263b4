#pragma once
// An error whose message the GUI shows in its language: what() is the
// English (nn::toString), text() the sentence of marked templates and values
// (nn/uitext.h) that app::errorText translates. For the errors a person
// meets in the normal course (no MNIST yet, nothing to train on, a finished
// checkpoint). A file's problems are FileErrors, whose detail can be a UiText
// too (nn/errors.h); refused settings and spec errors stay English.
#include "errors.h"
#include "uitext.h"

#include <utility>

namespace nn {

class UiError : public Error {
public:
    explicit UiError(UiText text) : Error(std::move(text)) {}
};

}  // namespace nn
