#pragma once
// The subset of ONNX's protobuf messages (onnx/onnx.proto, IR version 7+) that
// DigitPad writes and reads, and the protobuf wire format under them: base-128
// varints, fixed 32/64-bit values and length-delimited fields (wire types 0,
// 1, 2 and 5; groups, types 3 and 4, are refused).
//
// The reader is bounded: every length is checked against the bytes that
// remain in its enclosing message before anything is read or allocated, each
// message kind has a limit on how many repeated entries it accepts, and the
// nesting depth is fixed by the schema (Model > Graph > Node > Attribute >
// Tensor; a sub-graph attribute, a sequence or map type and every unknown
// field are skipped by their length, never parsed). Errors are FileError
// naming the file, the byte offset and what was expected.
#include <cstdint>
#include <string>
#include <vector>

namespace nn::onnx {

// TensorProto.DataType values used here.
enum DataType : int { kFloat = 1, kInt32 = 6, kInt64 = 7, kDouble = 11 };

struct Tensor {
    std::string name;
    int dataType = 0;
    std::vector<std::int64_t> dims;
    std::vector<float> floats;        // kFloat (and kDouble, converted)
    std::vector<std::int64_t> ints;   // kInt64 and kInt32
    std::int64_t elements() const;    // product of dims (1 for a scalar)
};

// AttributeProto.AttributeType values used here.
enum AttributeType : int { kAttrFloat = 1, kAttrInt = 2, kAttrString = 3, kAttrTensor = 4, kAttrFloats = 6, kAttrInts = 7 };

struct Attribute {
    std::string name;
    int type = 0;
    float f = 0;
    std::int64_t i = 0;
    std::string s;
    std::vector<float> floats;
    std::vector<std::int64_t> ints;
    std::vector<Tensor> tensor;  // at most one (a vector keeps Tensor's definition simple)
};

struct Node {
    std::string name, opType, domain;
    std::vector<std::string> inputs, outputs;
    std::vector<Attribute> attributes;
    std::int64_t offset = 0;  // of the node's bytes in the file, for messages
    const Attribute* attribute(const std::string& n) const;
};

// ValueInfoProto with a tensor type; a dimension is its value, or -1 with
// `params` naming it ("N"), or -1 with an empty name when unknown.
struct ValueInfo {
    std::string name;
    int elemType = 0;
    bool hasShape = false;
    std::vector<std::int64_t> dims;
    std::vector<std::string> params;
};

struct Graph {
    std::string name;
    std::vector<Node> nodes;
    std::vector<Tensor> initializers;
    std::vector<ValueInfo> inputs, outputs;
};

struct OpsetId {
    std::string domain;
    std::int64_t version = 0;
};

struct ModelProto {
    std::int64_t irVersion = 0;
    std::vector<OpsetId> opsets;
    std::string producerName, producerVersion, docString;
    bool hasGraph = false;
    Graph graph;
    std::vector<std::pair<std::string, std::string>> metadata;
};

// Limits of the reader (a DigitPad-sized classifier needs a few dozen of each).
inline constexpr std::size_t kMaxNodes = 10000;
inline constexpr std::size_t kMaxInitializers = 10000;
inline constexpr std::size_t kMaxValueInfos = 1000;
inline constexpr std::size_t kMaxAttributes = 100;     // per node
inline constexpr std::size_t kMaxNodeIo = 100;         // inputs or outputs per node
inline constexpr std::size_t kMaxDims = 8;             // tensor rank
inline constexpr std::size_t kMaxMetadata = 1000;
inline constexpr std::size_t kMaxStringBytes = 1 << 20;
inline constexpr std::int64_t kMaxTensorElements = std::int64_t(1) << 26;  // as a model file (kModelMaxParams)
inline constexpr std::int64_t kMaxTotalElements = std::int64_t(1) << 26;

// Throws FileError(name, ..., offset).
ModelProto parseModel(const std::uint8_t* data, std::size_t size, const std::string& name);

// ---- writing -------------------------------------------------------------------

// Appends protobuf fields to a byte buffer; message() nests a sub-message
// (written to its own buffer, then added with its length).
class Writer {
public:
    void varint(int field, std::uint64_t v);
    void int64(int field, std::int64_t v) { varint(field, std::uint64_t(v)); }
    void fixed32(int field, std::uint32_t v);
    void float32(int field, float v);
    void bytes(int field, const void* p, std::size_t n);
    void string(int field, const std::string& s) { bytes(field, s.data(), s.size()); }
    void message(int field, const Writer& sub) { bytes(field, sub.m_out.data(), sub.m_out.size()); }
    void packedInt64(int field, const std::vector<std::int64_t>& v);
    const std::vector<std::uint8_t>& out() const { return m_out; }

private:
    void tag(int field, int wireType);
    void rawVarint(std::uint64_t v);
    std::vector<std::uint8_t> m_out;
};

// Message builders for the writer side.
Writer tensorProto(const std::string& name, const std::vector<std::int64_t>& dims, const float* values, std::size_t n);
Writer int64TensorProto(const std::string& name, const std::vector<std::int64_t>& dims,
                        const std::vector<std::int64_t>& values);
Writer attrInt(const std::string& name, std::int64_t v);
Writer attrFloat(const std::string& name, float v);
Writer attrInts(const std::string& name, const std::vector<std::int64_t>& v);
Writer nodeProto(const std::string& opType, const std::string& name, const std::vector<std::string>& inputs,
                 const std::vector<std::string>& outputs, const std::vector<Writer>& attributes = {});
// A float tensor value info; a dimension of -1 is written as the parameter "N".
Writer valueInfo(const std::string& name, const std::vector<std::int64_t>& dims);

}  // namespace nn::onnx
