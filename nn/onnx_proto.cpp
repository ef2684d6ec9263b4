#include "onnx_proto.h"

#include "binio.h"
#include "errors.h"
#include "fileio.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace nn::onnx {

std::int64_t Tensor::elements() const
{
    std::int64_t n = 1;
    for (const std::int64_t d : dims)
        n *= d;  // dims are checked when read: non-negative, product within kMaxTensorElements
    return n;
}

const Attribute* Node::attribute(const std::string& n) const
{
    for (const Attribute& a : attributes)
        if (a.name == n)
            return &a;
    return nullptr;
}

// ---- reading ---------------------------------------------------------------------

namespace {

enum WireType { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

// One message's bytes [pos, end) inside the file; offsets in messages are
// from the start of the file.
class Reader {
public:
    Reader(const std::uint8_t* base, std::size_t pos, std::size_t end, const std::string& name, const char* what)
        : m_base(base), m_pos(pos), m_end(end), m_name(name), m_what(what)
    {
    }

    bool atEnd() const { return m_pos >= m_end; }
    std::size_t pos() const { return m_pos; }

    [[noreturn]] void fail(UiText msg, std::size_t at) const
    {
        throw FileError(m_name, uiText(DIGITPAD_UI_TEXT("nn::ui", "not a valid ONNX model: %1"), msg), std::int64_t(at));
    }

    std::uint64_t varint()
    {
        const std::size_t start = m_pos;
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_end)
                fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "a number in a %1 runs past its end"), uiText(m_what)), start);
            const std::uint8_t b = m_base[m_pos++];
            if (shift == 63 && (b & 0x7e))
                fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "a number is longer than 64 bits")), start);
            v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "a number is longer than 10 bytes")), start);
    }

    // Next field's number and wire type.
    std::pair<int, int> key()
    {
        const std::size_t at = m_pos;
        const std::uint64_t k = varint();
        const int wire = int(k & 7);
        const std::uint64_t field = k >> 3;
        if (field == 0 || field > (1u << 29) - 1)
            fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "field number %1 in a %2"), std::to_string(field), uiText(m_what)), at);
        if (wire != kVarint && wire != kFixed64 && wire != kLen && wire != kFixed32)
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "field %1 of a %2 has wire type %3 (groups and unknown types are not protobuf 3)"),
                std::to_string(field), uiText(m_what), std::to_string(wire)),
                 at);
        m_fieldStart = at;
        return {int(field), wire};
    }

    // A length-delimited field's [start, end), checked against what remains.
    std::pair<std::size_t, std::size_t> span()
    {
        const std::size_t at = m_pos;
        const std::uint64_t n = varint();
        if (n > m_end - m_pos)
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "a field of a %1 claims %2 bytes, only %3 remain"),
                uiText(m_what), std::to_string(n), std::to_string(m_end - m_pos)),
                 at);
        const std::size_t s = m_pos;
        m_pos += std::size_t(n);
        return {s, m_pos};
    }

    std::uint32_t fixed32()
    {
        if (m_end - m_pos < 4)
            fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "a 4-byte value in a %1 runs past its end"), uiText(m_what)), m_pos);
        const std::uint32_t v = bin::getU32(m_base + m_pos);
        m_pos += 4;
        return v;
    }

    std::uint64_t fixed64()
    {
        if (m_end - m_pos < 8)
            fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "an 8-byte value in a %1 runs past its end"), uiText(m_what)), m_pos);
        const std::uint64_t v = bin::getU64(m_base + m_pos);
        m_pos += 8;
        return v;
    }

    void skip(int wire)
    {
        switch (wire) {
        case kVarint: varint(); break;
        case kFixed64: fixed64(); break;
        case kFixed32: fixed32(); break;
        default: span(); break;
        }
    }

    void expect(int wire, int want, const char* field)
    {
        if (wire != want)
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 field '%2' has wire type %3, expected %4"),
                uiText(m_what), field, std::to_string(wire), std::to_string(want)),
                 m_fieldStart);
    }

    std::string string(int wire, const char* field)
    {
        expect(wire, kLen, field);
        const auto [s, e] = span();
        if (e - s > kMaxStringBytes)
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 field '%2' is %3 long, more than the limit of %4"),
                uiText(m_what), field, humanSize(e - s), humanSize(kMaxStringBytes)),
                 m_fieldStart);
        return std::string(reinterpret_cast<const char*>(m_base + s), e - s);
    }

    Reader sub(int wire, const char* field, const char* what)
    {
        expect(wire, kLen, field);
        const auto [s, e] = span();
        return Reader(m_base, s, e, m_name, what);
    }

    std::int64_t int64(int wire, const char* field)
    {
        expect(wire, kVarint, field);
        return std::int64_t(varint());
    }

    // A repeated int64 field, packed or not; `limit` entries at most.
    void int64s(int wire, const char* field, std::vector<std::int64_t>& out, std::size_t limit)
    {
        const auto add = [&](std::int64_t v, std::size_t at) {
            if (out.size() >= limit)
                fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "%1 field '%2' has more than %3 values"),
                    uiText(m_what), field, std::to_string(limit)), at);
            out.push_back(v);
        };
        if (wire == kVarint) {
            add(std::int64_t(varint()), m_fieldStart);
            return;
        }
        expect(wire, kLen, field);
        const auto [s, e] = span();
        Reader r(m_base, s, e, m_name, m_what);
        while (!r.atEnd())
            add(std::int64_t(r.varint()), r.pos());
    }

    // A repeated float field, packed or not; `limit` entries at most.
    void floats(int wire, const char* field, std::vector<float>& out, std::size_t limit)
    {
        if (wire == kFixed32) {
            if (out.size() >= limit)
                fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "%1 field '%2' has more values than its dimensions"),
                    uiText(m_what), field), m_fieldStart);
            const std::uint32_t bits = fixed32();
            float f;
            std::memcpy(&f, &bits, 4);
            out.push_back(f);
            return;
        }
        expect(wire, kLen, field);
        const auto [s, e] = span();
        if ((e - s) % 4 != 0)
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 field '%2' is %3 bytes long, not a whole number of floats"),
                uiText(m_what), field, std::to_string(e - s)),
                 m_fieldStart);
        if ((e - s) / 4 > limit - out.size())
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 field '%2' has %3 values, more than its dimensions allow (%4)"),
                uiText(m_what), field, std::to_string((e - s) / 4), std::to_string(limit - out.size())),
                 m_fieldStart);
        for (std::size_t p = s; p < e; p += 4)
            out.push_back(bin::getF32(m_base + p));
    }

    std::size_t fieldStart() const { return m_fieldStart; }
    Reader inner(std::size_t s, std::size_t e, const char* what) const { return Reader(m_base, s, e, m_name, what); }
    const std::uint8_t* base() const { return m_base; }

private:
    const std::uint8_t* m_base;
    std::size_t m_pos, m_end;
    const std::string& m_name;
    const char* m_what;
    std::size_t m_fieldStart = 0;
};

struct Budget {
    std::int64_t elements = 0;  // over all tensors of the file
};

Tensor readTensor(Reader r, Budget& budget)
{
    Tensor t;
    const std::size_t start = r.pos();
    std::size_t rawStart = 0, rawEnd = 0;
    bool hasRaw = false, external = false;
    // Fields may come in any order: the values are read in a second pass once
    // the dims and type are known, so that what is kept is bounded by the
    // shape (a list of where the value fields are would grow with the file:
    // millions of two-byte fields).
    const Reader values = r;
    std::vector<std::int64_t> dims;
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        switch (field) {
        case 1: r.int64s(wire, "dims", dims, kMaxDims); break;
        case 2: t.dataType = int(r.int64(wire, "data_type")); break;
        case 8: t.name = r.string(wire, "name"); break;
        case 9: {
            r.expect(wire, kLen, "raw_data");
            const auto [s, e] = r.span();
            rawStart = s;
            rawEnd = e;
            hasRaw = true;
            break;
        }
        case 4: case 5: case 7: case 10:
            if (wire == kLen) {
                r.span();
            } else if (wire == kVarint && field != 4 && field != 10) {
                r.varint();
            } else if (wire == kFixed32 && field == 4) {
                r.fixed32();
            } else if (wire == kFixed64 && field == 10) {
                r.fixed64();
            } else {
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "tensor value field %1 has wire type %2"),
                    std::to_string(field), std::to_string(wire)),
                       r.fieldStart());
            }
            break;
        case 13: external = true; r.skip(wire); break;
        case 14: if (r.int64(wire, "data_location") == 1) external = true; break;
        default: r.skip(wire); break;
        }
    }
    const std::string label = "tensor '" + t.name + "'";
    if (external)
        r.fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "%1 keeps its values in an external file, which DigitPad does not read"),
            label), start);
    std::int64_t n = 1;
    for (const std::int64_t d : dims) {
        if (d < 0)
            r.fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 has a negative dimension %2"),
                label, std::to_string(d)), start);
        if (d > 0 && n > kMaxTensorElements / d)
            r.fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 has more than %2 values"),
                label, std::to_string(kMaxTensorElements)), start);
        n *= d;
    }
    if (n > kMaxTensorElements)
        r.fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "%1 has more than %2 values"),
            label, std::to_string(kMaxTensorElements)), start);
    if (budget.elements + n > kMaxTotalElements)
        r.fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the tensors hold more than %1 values in all"),
            std::to_string(kMaxTotalElements)), start);
    budget.elements += n;
    t.dims = dims;
    const std::size_t count = std::size_t(n);

    std::size_t elementBytes = 0;
    switch (t.dataType) {
    case kFloat: case kInt32: elementBytes = 4; break;
    case kInt64: case kDouble: elementBytes = 8; break;
    default:
        // Other types are kept without values; a node that needs them says so.
        return t;
    }
    if (hasRaw) {
        if (rawEnd - rawStart != count * elementBytes)
            r.fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "%1 has %2 bytes of raw data, its shape needs %3"),
                label, std::to_string(rawEnd - rawStart), std::to_string(count * elementBytes)),
                   rawStart);
        const std::uint8_t* p = r.base() + rawStart;
        for (std::size_t i = 0; i < count; ++i, p += elementBytes) {
            switch (t.dataType) {
            case kFloat: t.floats.push_back(bin::getF32(p)); break;
            case kDouble: t.floats.push_back(float(bin::getF64(p))); break;
            case kInt32: t.ints.push_back(std::int32_t(bin::getU32(p))); break;
            default: t.ints.push_back(std::int64_t(bin::getU64(p))); break;
            }
        }
        return t;
    }
    // Typed fields: float_data (4) for FLOAT, int32_data (5) for INT32,
    // int64_data (7) for INT64, double_data (10) for DOUBLE.
    const int want = t.dataType == kFloat ? 4 : t.dataType == kInt32 ? 5 : t.dataType == kInt64 ? 7 : 10;
    // The second pass, in the file's order (repeated fields concatenate).
    // (No reserve(count): the dims may claim far more values than the file holds.)
    Reader v = values;
    while (!v.atEnd()) {
        const auto [field, wire] = v.key();
        if (field != want) {
            v.skip(wire);
            continue;
        }
        if (wire != kLen) {
            if (t.floats.size() + t.ints.size() >= count)
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "%1 has more values than its shape %2"),
                    label, std::to_string(count)), start);
            if (t.dataType == kFloat) {
                const std::uint32_t b32 = v.fixed32();
                float f;
                std::memcpy(&f, &b32, 4);
                t.floats.push_back(f);
            } else if (t.dataType == kDouble) {
                const std::uint64_t bits = v.fixed64();
                double d;
                std::memcpy(&d, &bits, 8);
                t.floats.push_back(float(d));
            } else {
                const std::uint64_t x = v.varint();
                t.ints.push_back(t.dataType == kInt32 ? std::int64_t(std::int32_t(x)) : std::int64_t(x));
            }
            continue;
        }
        const auto sp = v.span();
        if (t.dataType == kFloat || t.dataType == kDouble) {
            const std::size_t w = t.dataType == kFloat ? 4 : 8;
            if ((sp.second - sp.first) % w != 0 || (sp.second - sp.first) / w > count - t.floats.size())
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "%1 has %2 values for a shape of %3"),
                    label, std::to_string((sp.second - sp.first) / w), std::to_string(count)),
                       sp.first);
            for (std::size_t p = sp.first; p < sp.second; p += w)
                t.floats.push_back(w == 4 ? bin::getF32(r.base() + p) : float(bin::getF64(r.base() + p)));
        } else {
            Reader packed = r.inner(sp.first, sp.second, DIGITPAD_UI_TEXT("nn::ui", "tensor"));
            while (!packed.atEnd()) {
                if (t.ints.size() >= count)
                    r.fail(uiText(DIGITPAD_UI_TEXT(
                        "nn::ui",
                        "%1 has more values than its shape %2"),
                        label, std::to_string(count)), sp.first);
                std::uint64_t x;
                try {
                    x = packed.varint();
                } catch (const FileError&) {
                    r.fail(uiText(DIGITPAD_UI_TEXT(
                        "nn::ui",
                        "%1 has a value that runs past the end of its field"),
                        label), sp.first);
                }
                t.ints.push_back(t.dataType == kInt32 ? std::int64_t(std::int32_t(x)) : std::int64_t(x));
            }
        }
    }
    const std::size_t got = t.floats.size() + t.ints.size();
    if (got != count)
        r.fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 has %2 values, its shape %3 needs %4"), label, std::to_string(got),
                      [&] {
                          std::string s;
                          for (std::size_t i = 0; i < dims.size(); ++i) {
                              if (i)
                                  s += 'x';
                              s += std::to_string(dims[i]);
                          }
                          return s.empty() ? std::string("(a scalar)") : s;
                      }(),
                      std::to_string(count)),
               start);
    return t;
}

Attribute readAttribute(Reader r, Budget& budget)
{
    Attribute a;
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        switch (field) {
        case 1: a.name = r.string(wire, "name"); break;
        case 20: a.type = int(r.int64(wire, "type")); break;
        case 2:
            r.expect(wire, kFixed32, "f");
            {
                const std::uint32_t bits = r.fixed32();
                std::memcpy(&a.f, &bits, 4);
            }
            break;
        case 3: a.i = r.int64(wire, "i"); break;
        case 4: a.s = r.string(wire, "s"); break;
        case 5:
            if (!a.tensor.empty())
                r.fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "an attribute has two tensors")), r.fieldStart());
            a.tensor.push_back(readTensor(r.sub(wire, "t", DIGITPAD_UI_TEXT("nn::ui", "tensor")), budget));
            break;
        case 7: r.floats(wire, "floats", a.floats, 4096); break;
        case 8: r.int64s(wire, "ints", a.ints, 4096); break;
        default: r.skip(wire); break;  // graphs, strings, sparse tensors, type protos: not used by any supported node
        }
    }
    return a;
}

Node readNode(Reader r, Budget& budget)
{
    Node n;
    n.offset = std::int64_t(r.pos());
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        switch (field) {
        case 1: case 2: {
            auto& list = field == 1 ? n.inputs : n.outputs;
            if (list.size() >= kMaxNodeIo)
                r.fail(field == 1 ? uiText(DIGITPAD_UI_TEXT("nn::ui", "a node has more than %1 inputs"), std::to_string(kMaxNodeIo))
                                  : uiText(DIGITPAD_UI_TEXT("nn::ui", "a node has more than %1 outputs"), std::to_string(kMaxNodeIo)),
                       r.fieldStart());
            list.push_back(r.string(wire, field == 1 ? "input" : "output"));
            break;
        }
        case 3: n.name = r.string(wire, "name"); break;
        case 4: n.opType = r.string(wire, "op_type"); break;
        case 7: n.domain = r.string(wire, "domain"); break;
        case 5:
            if (n.attributes.size() >= kMaxAttributes)
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "a node has more than %1 attributes"),
                    std::to_string(kMaxAttributes)), r.fieldStart());
            n.attributes.push_back(readAttribute(r.sub(wire, "attribute", DIGITPAD_UI_TEXT("nn::ui", "attribute")), budget));
            break;
        default: r.skip(wire); break;
        }
    }
    return n;
}

void readShape(Reader r, ValueInfo& v)
{
    v.hasShape = true;
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        if (field != 1) {
            r.skip(wire);
            continue;
        }
        if (v.dims.size() >= kMaxDims)
            r.fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "a value's shape has more than %1 dimensions"),
                std::to_string(kMaxDims)), r.fieldStart());
        Reader d = r.sub(wire, "dim", DIGITPAD_UI_TEXT("nn::ui", "dimension"));
        std::int64_t value = -1;
        std::string param;
        while (!d.atEnd()) {
            const auto [df, dw] = d.key();
            if (df == 1)
                value = d.int64(dw, "dim_value");
            else if (df == 2)
                param = d.string(dw, "dim_param");
            else
                d.skip(dw);
        }
        v.dims.push_back(value);
        v.params.push_back(param);
    }
}

ValueInfo readValueInfo(Reader r)
{
    ValueInfo v;
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        if (field == 1) {
            v.name = r.string(wire, "name");
        } else if (field == 2) {
            Reader type = r.sub(wire, "type", DIGITPAD_UI_TEXT("nn::ui", "type"));
            while (!type.atEnd()) {
                const auto [tf, tw] = type.key();
                if (tf != 1) {
                    type.skip(tw);  // sequence, map, optional, sparse: no shape of ours
                    continue;
                }
                Reader tensor = type.sub(tw, "tensor_type", DIGITPAD_UI_TEXT("nn::ui", "tensor type"));
                while (!tensor.atEnd()) {
                    const auto [ef, ew] = tensor.key();
                    if (ef == 1)
                        v.elemType = int(tensor.int64(ew, "elem_type"));
                    else if (ef == 2)
                        readShape(tensor.sub(ew, "shape", DIGITPAD_UI_TEXT("nn::ui", "shape")), v);
                    else
                        tensor.skip(ew);
                }
            }
        } else {
            r.skip(wire);
        }
    }
    return v;
}

Graph readGraph(Reader r, Budget& budget)
{
    Graph g;
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        switch (field) {
        case 1:
            if (g.nodes.size() >= kMaxNodes)
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "the graph has more than %1 nodes"),
                    std::to_string(kMaxNodes)), r.fieldStart());
            g.nodes.push_back(readNode(r.sub(wire, "node", DIGITPAD_UI_TEXT("nn::ui", "node")), budget));
            break;
        case 2: g.name = r.string(wire, "name"); break;
        case 5:
            if (g.initializers.size() >= kMaxInitializers)
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "the graph has more than %1 initializers"),
                    std::to_string(kMaxInitializers)), r.fieldStart());
            g.initializers.push_back(readTensor(r.sub(wire, "initializer", DIGITPAD_UI_TEXT("nn::ui", "tensor")), budget));
            break;
        case 11: case 12: {
            auto& list = field == 11 ? g.inputs : g.outputs;
            if (list.size() >= kMaxValueInfos)
                r.fail(field == 11 ? uiText(DIGITPAD_UI_TEXT("nn::ui", "the graph has more than %1 inputs"),
                                            std::to_string(kMaxValueInfos))
                                   : uiText(DIGITPAD_UI_TEXT("nn::ui", "the graph has more than %1 outputs"),
                                            std::to_string(kMaxValueInfos)),
                       r.fieldStart());
            list.push_back(readValueInfo(r.sub(wire, field == 11 ? "input" : "output", DIGITPAD_UI_TEXT("nn::ui", "value info"))));
            break;
        }
        default: r.skip(wire); break;  // value_info, sparse initializers, doc strings
        }
    }
    return g;
}

}  // namespace

ModelProto parseModel(const std::uint8_t* data, std::size_t size, const std::string& name)
{
    if (size == 0)
        throw FileError(name, uiText(DIGITPAD_UI_TEXT("nn::ui", "not a valid ONNX model: %1"),
                                     uiText(DIGITPAD_UI_TEXT("nn::ui", "the file is empty"))));
    Reader r(data, 0, size, name, DIGITPAD_UI_TEXT("nn::ui", "model"));
    ModelProto m;
    Budget budget;
    while (!r.atEnd()) {
        const auto [field, wire] = r.key();
        switch (field) {
        case 1: m.irVersion = r.int64(wire, "ir_version"); break;
        case 2: m.producerName = r.string(wire, "producer_name"); break;
        case 3: m.producerVersion = r.string(wire, "producer_version"); break;
        case 6: m.docString = r.string(wire, "doc_string"); break;
        case 7:
            if (m.hasGraph)
                r.fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "the model has two graphs")), r.fieldStart());
            m.graph = readGraph(r.sub(wire, "graph", DIGITPAD_UI_TEXT("nn::ui", "graph")), budget);
            m.hasGraph = true;
            break;
        case 8: {
            if (m.opsets.size() >= 100)
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "the model imports more than 100 operator sets")), r.fieldStart());
            Reader o = r.sub(wire, "opset_import", DIGITPAD_UI_TEXT("nn::ui", "operator set id"));
            OpsetId id;
            while (!o.atEnd()) {
                const auto [of, ow] = o.key();
                if (of == 1)
                    id.domain = o.string(ow, "domain");
                else if (of == 2)
                    id.version = o.int64(ow, "version");
                else
                    o.skip(ow);
            }
            m.opsets.push_back(id);
            break;
        }
        case 14: {
            if (m.metadata.size() >= kMaxMetadata)
                r.fail(uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "the model has more than %1 metadata entries"),
                    std::to_string(kMaxMetadata)), r.fieldStart());
            Reader e = r.sub(wire, "metadata_props", DIGITPAD_UI_TEXT("nn::ui", "metadata entry"));
            std::pair<std::string, std::string> kv;
            while (!e.atEnd()) {
                const auto [ef, ew] = e.key();
                if (ef == 1)
                    kv.first = e.string(ew, "key");
                else if (ef == 2)
                    kv.second = e.string(ew, "value");
                else
                    e.skip(ew);
            }
            m.metadata.push_back(std::move(kv));
            break;
        }
        default: r.skip(wire); break;
        }
    }
    return m;
}

// ---- writing ---------------------------------------------------------------------

void Writer::rawVarint(std::uint64_t v)
{
    while (v >= 0x80) {
        m_out.push_back(std::uint8_t(v | 0x80));
        v >>= 7;
    }
    m_out.push_back(std::uint8_t(v));
}

void Writer::tag(int field, int wireType) { rawVarint(std::uint64_t(field) << 3 | std::uint64_t(wireType)); }

void Writer::varint(int field, std::uint64_t v)
{
    tag(field, kVarint);
    rawVarint(v);
}

void Writer::fixed32(int field, std::uint32_t v)
{
    tag(field, kFixed32);
    for (int i = 0; i < 4; ++i)
        m_out.push_back(std::uint8_t(v >> (8 * i)));
}

void Writer::float32(int field, float v)
{
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    fixed32(field, bits);
}

void Writer::bytes(int field, const void* p, std::size_t n)
{
    tag(field, kLen);
    rawVarint(n);
    const auto* b = static_cast<const std::uint8_t*>(p);
    m_out.insert(m_out.end(), b, b + n);
}

void Writer::packedInt64(int field, const std::vector<std::int64_t>& v)
{
    Writer packed;
    for (const std::int64_t x : v)
        packed.rawVarint(std::uint64_t(x));
    bytes(field, packed.m_out.data(), packed.m_out.size());
}

Writer tensorProto(const std::string& name, const std::vector<std::int64_t>& dims, const float* values, std::size_t n)
{
    Writer t;
    if (!dims.empty())
        t.packedInt64(1, dims);
    t.int64(2, kFloat);
    t.string(8, name);
    // raw_data: little-endian float32, as ONNX requires whatever the host.
    std::vector<std::uint8_t> raw(n * 4);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, &values[i], 4);
        for (int k = 0; k < 4; ++k)
            raw[i * 4 + std::size_t(k)] = std::uint8_t(bits >> (8 * k));
    }
    t.bytes(9, raw.data(), raw.size());
    return t;
}

Writer int64TensorProto(const std::string& name, const std::vector<std::int64_t>& dims,
                        const std::vector<std::int64_t>& values)
{
    Writer t;
    if (!dims.empty())
        t.packedInt64(1, dims);
    t.int64(2, kInt64);
    t.string(8, name);
    t.packedInt64(7, values);
    return t;
}

Writer attrInt(const std::string& name, std::int64_t v)
{
    Writer a;
    a.string(1, name);
    a.int64(3, v);
    a.int64(20, kAttrInt);
    return a;
}

Writer attrFloat(const std::string& name, float v)
{
    Writer a;
    a.string(1, name);
    a.float32(2, v);
    a.int64(20, kAttrFloat);
    return a;
}

Writer attrInts(const std::string& name, const std::vector<std::int64_t>& v)
{
    Writer a;
    a.string(1, name);
    a.packedInt64(8, v);
    a.int64(20, kAttrInts);
    return a;
}

Writer nodeProto(const std::string& opType, const std::string& name, const std::vector<std::string>& inputs,
                 const std::vector<std::string>& outputs, const std::vector<Writer>& attributes)
{
    Writer n;
    for (const std::string& i : inputs)
        n.string(1, i);
    for (const std::string& o : outputs)
        n.string(2, o);
    n.string(3, name);
    n.string(4, opType);
    for (const Writer& a : attributes)
        n.message(5, a);
    return n;
}

Writer valueInfo(const std::string& name, const std::vector<std::int64_t>& dims)
{
    Writer shape;
    for (const std::int64_t d : dims) {
        Writer dim;
        if (d < 0)
            dim.string(2, "N");
        else
            dim.int64(1, d);
        shape.message(1, dim);
    }
    Writer tensor;
    tensor.int64(1, kFloat);
    tensor.message(2, shape);
    Writer type;
    type.message(1, tensor);
    Writer v;
    v.string(1, name);
    v.message(2, type);
    return v;
}

}  // namespace nn::onnx
