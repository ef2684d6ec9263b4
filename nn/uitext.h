#pragma once
// Text that the GUI shows in its language while nn itself stays English and
// Qt-free.
//
// DIGITPAD_UI_TEXT(context, text) is just `text`. It marks an engine label or
// sentence template, so that the GUI's lupdate (app/CMakeLists.txt) collects
// it under `context` (always "nn::ui") for translation; the GUI looks it up
// with QCoreApplication::translate (app/common/language.h: engineText,
// translated). lupdate does not expand macros: write the macro itself around
// every literal.
//
// A UiText is a sentence built from such templates: the template's %1..%9
// are filled with its arguments, which are themselves UiTexts (a translated
// part, or a value that stays as it is: a number, a path, a spec). The CLI,
// logs and files take the English with toString(); the GUI translates the
// template and each part (app::translated) and fills the placeholders in the
// translator's order.
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#define DIGITPAD_UI_TEXT(context, text) text

namespace nn {

struct UiText {
    // The English template (marked DIGITPAD_UI_TEXT("nn::ui", ...)), with
    // %1..%9 for `args`. Null: the text is `value` followed by the `args`
    // joined (a sentence made of parts), or empty.
    const char* text = nullptr;
    std::string value;  // not translated
    std::vector<UiText> args;

    bool empty() const { return !text && value.empty() && args.empty(); }
};

// A value that is not translated (a number, a path, an architecture).
inline UiText verbatim(std::string value)
{
    UiText t;
    t.value = std::move(value);
    return t;
}

namespace detail {
inline UiText uiArg(UiText t) { return t; }
inline UiText uiArg(std::string s) { return verbatim(std::move(s)); }
// A plain C string is a value: a translated part must be made with uiText().
inline UiText uiArg(const char* s) { return verbatim(s); }
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
UiText uiArg(T v)
{
    return verbatim(std::to_string(v));
}
}  // namespace detail

// `tmpl` (marked DIGITPAD_UI_TEXT) with its %1..%9 filled by `args`.
template <typename... A>
UiText uiText(const char* tmpl, A&&... args)
{
    static_assert(sizeof...(A) <= 9, "a UiText template has at most 9 placeholders");
    UiText t;
    t.text = tmpl;
    (t.args.push_back(detail::uiArg(std::forward<A>(args))), ...);
    return t;
}

// The parts one after the other (each translated on its own).
UiText joined(std::vector<UiText> parts);
// Appends a part to a sentence (making it a joined one first if needed).
UiText& operator+=(UiText& sentence, UiText part);

// Replaces %1..%9 in `tmpl` by args[0..8] in a single pass (an argument's
// own "%2" stays as it is); a placeholder without an argument is kept.
std::string fillPlaceholders(const std::string& tmpl, const std::vector<std::string>& args);

// The text with every template replaced by lookup(template) before its
// placeholders are filled (the GUI: its translation, in UTF-8).
std::string render(const UiText& t, const std::function<std::string(const char* tmpl)>& lookup);
// The English text.
std::string toString(const UiText& t);

}  // namespace nn
