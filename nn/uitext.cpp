#include "uitext.h"

namespace nn {

UiText joined(std::vector<UiText> parts)
{
    UiText t;
    t.args = std::move(parts);
    return t;
}

UiText& operator+=(UiText& sentence, UiText part)
{
    if (sentence.text) {
        UiText whole = joined({});
        whole.args.push_back(std::move(sentence));
        sentence = std::move(whole);
    }
    sentence.args.push_back(std::move(part));
    return sentence;
}

std::string fillPlaceholders(const std::string& tmpl, const std::vector<std::string>& args)
{
    std::string out;
    out.reserve(tmpl.size());
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        const char c = tmpl[i];
        if (c == '%' && i + 1 < tmpl.size() && tmpl[i + 1] >= '1' && tmpl[i + 1] <= '9') {
            const std::size_t k = std::size_t(tmpl[i + 1] - '1');
            if (k < args.size()) {
                out += args[k];
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

std::string render(const UiText& t, const std::function<std::string(const char* tmpl)>& lookup)
{
    std::vector<std::string> parts;
    parts.reserve(t.args.size());
    for (const UiText& a : t.args)
        parts.push_back(render(a, lookup));
    if (t.text)
        return fillPlaceholders(lookup(t.text), parts);
    std::string out = t.value;
    for (const std::string& p : parts)
        out += p;
    return out;
}

std::string toString(const UiText& t)
{
    return render(t, [](const char* tmpl) { return std::string(tmpl); });
}

}  // namespace nn
