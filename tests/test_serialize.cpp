// The model file: round trips, every kind of damage, atomic writes.
#include "model_file_builder.h"

#include <nn/serialize.h>

#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

using namespace nn;

namespace {

using FileBuilder = fixtures::ModelFileBuilder;

void fixCrc(std::vector<std::uint8_t>& b)
{
    const std::uint32_t crc = crc32(b.data(), b.size() - 4);
    for (int i = 0; i < 4; ++i)
        b[b.size() - 4 + std::size_t(i)] = std::uint8_t(crc >> (8 * i));
}

void putU32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b[at + std::size_t(i)] = std::uint8_t(v >> (8 * i));
}

std::string hex32(std::uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

// Every parameter random (including BatchNorm running statistics) so that a
// round trip that dropped or reordered anything would show.
Model randomModel(const std::string& spec, std::uint64_t seed, Shape3 input = {1, 28, 28})
{
    Model m = Model::fromSpec(spec, input);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (float& v : m.params())
        v = d(rng);
    for (const auto& v : m.paramViews())
        if (v.name.find("running_var") != std::string::npos)
            for (std::size_t i = 0; i < v.spec.size(); ++i)
                m.params()[v.offset + i] = std::abs(m.params()[v.offset + i]) + 0.1f;
    m.metadata()["data"] = "mnist train (60000)";
    m.metadata()["epochs"] = "3";
    m.metadata()["test_accuracy"] = "0.9912";
    m.metadata()["note"] = std::string("utf-8 \xc3\xa9 and an empty value follows");
    m.metadata()["empty"] = "";
    return m;
}

void writeBytes(const QString& path, const std::vector<std::uint8_t>& b)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(reinterpret_cast<const char*>(b.data()), qint64(b.size())), qint64(b.size()));
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Runs fn, which must throw FileError; returns its message ("" if it did not throw).
std::string fileError(const std::function<void()>& fn, std::int64_t* offset = nullptr)
{
    try {
        fn();
    } catch (const FileError& e) {
        if (offset)
            *offset = e.offset();
        return e.what();
    } catch (const std::exception& e) {
        return std::string("unexpected exception type: ") + e.what();
    }
    return {};
}

#define EXPECT_PHRASE(message, phrase)                                                                          \
    QVERIFY2(QString::fromStdString(message).contains(QString::fromStdString(phrase)),                         \
             qPrintable("'" + QString::fromStdString(message) + "' lacks '" + QString::fromStdString(phrase) + "'"))

}  // namespace

class TestSerialize : public QObject {
    Q_OBJECT
private slots:
    void init();

    void roundTrip_data();
    void roundTrip();
    void builderMatchesSaver();
    void crcIsZlibCrc32();

    void missingFile();
    void emptyFile();
    void everyPrefixIsTruncated();
    void everyByteFlipIsRejected();
    void wrongMagic();
    void futureVersion_data();
    void futureVersion();
    void flippedByteIsChecksumMismatch();
    void shapeChangedWithValidCrc();
    void tensorNamesAndCounts();
    void wrongInputShape();
    void specTypoInFile();
    void nonFiniteValues_data();
    void nonFiniteValues();
    void limitsBeforeAllocation();
    void trailingBytes();

    void atomicWriteCreatesAndReplaces();
    void atomicWriteFailureKeepsTarget();
    void atomicWriteRenameFailureCleansUp();
    void readFileBytesLimit();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }
    QStringList dirEntries() const
    {
        return QDir(m_dir->path()).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                                             QDir::Name);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSerialize::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSerialize::roundTrip_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("mlp") << QString::fromStdString(Model::presetSpec("mlp"));
    QTest::newRow("lenet5") << "conv 6 5 | relu | maxpool 2 | conv 16 5 | relu | maxpool 2 | dense 120 | relu | "
                               "dense 84 | relu | dense 10";
    QTest::newRow("batchnorm+dropout")
        << "conv 8 3 pad=1 | batchnorm | relu | maxpool 2 | dense 32 init=xavier | batchnorm | tanh | dropout 0.3 | "
           "dense 10";
    QTest::newRow("cnn preset") << QString::fromStdString(Model::presetSpec("cnn"));
}

void TestSerialize::roundTrip()
{
    QFETCH(QString, spec);
    const Model original = randomModel(spec.toStdString(), 42);
    const QString file = path("model.dpnn");
    saveModel(original, file.toStdString());
    QCOMPARE(dirEntries(), QStringList{"model.dpnn"});  // no temporary left behind

    const Model loaded = loadModel(file.toStdString());
    QCOMPARE(loaded.spec(), original.spec());
    QCOMPARE(loaded.inputShape(), original.inputShape());
    QCOMPARE(loaded.params().size(), original.params().size());
    QVERIFY(std::memcmp(loaded.params().data(), original.params().data(), original.params().size() * 4) == 0);
    QVERIFY(loaded.metadata() == original.metadata());

    // Saving what was loaded gives the same bytes.
    QVERIFY(modelToBytes(loaded) == modelToBytes(original));
    const QByteArray onDisk = readAll(file);
    const auto bytes = modelToBytes(original);
    QCOMPARE(onDisk, QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())));

    // Same predictions, to the bit.
    const int n = 5, size = original.inputShape().size();
    std::vector<float> x(std::size_t(n) * size);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> d(0.0f, 1.0f);
    for (float& v : x)
        v = d(rng);
    std::vector<float> p1(std::size_t(n) * 10), p2(p1.size());
    original.predict(x.data(), n, p1.data());
    loaded.predict(x.data(), n, p2.data());
    QVERIFY(std::memcmp(p1.data(), p2.data(), p1.size() * 4) == 0);
}

void TestSerialize::builderMatchesSaver()
{
    // The header comment's format, written independently, is what the saver writes.
    Model m = Model::fromSpec("dense 10", {1, 2, 2});
    for (std::size_t i = 0; i < m.params().size(); ++i)
        m.params()[i] = 0.5f;
    m.metadata()["k"] = "v";
    FileBuilder b;
    b.header("dense 10", {1, 2, 2}).u32(2).tensor("0.dense.weight", {10, 4}).tensor("0.dense.bias", {10});
    b.u32(1).str("k").str("v");
    QVERIFY(b.finish() == modelToBytes(m));
}

void TestSerialize::crcIsZlibCrc32()
{
    const char* text = "123456789";  // the standard check value of CRC-32
    QCOMPARE(crc32(reinterpret_cast<const std::uint8_t*>(text), 9), std::uint32_t(0xCBF43926));
    QCOMPARE(crc32(nullptr, 0), std::uint32_t(0));
}

void TestSerialize::missingFile()
{
    const std::string file = path("nope.dpnn").toStdString();
    QCOMPARE(fileError([&] { loadModel(file); }), file + ": cannot open: No such file or directory");
}

void TestSerialize::emptyFile()
{
    const QString file = path("empty.dpnn");
    writeBytes(file, {});
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }), file.toStdString() + ": truncated: the file is empty");
}

void TestSerialize::everyPrefixIsTruncated()
{
    const Model m = randomModel("dense 10", 1, {1, 4, 4});
    const auto bytes = modelToBytes(m);
    QVERIFY(bytes.size() > 600);
    for (std::size_t len = 0; len < bytes.size(); ++len) {
        // A copy of exactly `len` bytes, so that reading past it is a sanitizer error.
        const std::vector<std::uint8_t> prefix(bytes.begin(), bytes.begin() + std::ptrdiff_t(len));
        const std::string msg =
            fileError([&] { loadModelFromBytes(prefix.data(), prefix.size(), "cut.dpnn", {0, 0, 0}); });
        QVERIFY2(msg.rfind("cut.dpnn: truncated: ", 0) == 0, qPrintable(QString::number(len) + ": " + msg.c_str()));
    }
    // Through a file as well, at a few interesting places.
    const auto at = [&](std::size_t len, const std::string& expected) {
        const QString file = path("cut.dpnn");
        writeBytes(file, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(len)));
        const std::string msg = fileError([&] { loadModel(file.toStdString(), {0, 0, 0}); });
        QCOMPARE(msg, file.toStdString() + ": " + expected);
    };
    at(5, "truncated: the file is only 5 bytes long, too short for a DigitPad model");
    at(14, "truncated: 4 bytes needed for the flags, only 2 left in the 14-byte file (at byte 12)");
    // magic 8, version 4, flags 4, spec 4+8, shape 12, count 4, name 4+14, rank 4, dims 8 -> values at 74
    at(100, "truncated: 640 bytes needed for the values of tensor 1 '0.dense.weight', only 26 left in the "
            "100-byte file (at byte 74)");
    at(bytes.size() - 1, "truncated: 4 bytes needed for the checksum, only 3 left in the " +
                             std::to_string(bytes.size() - 1) + "-byte file (at byte " +
                             std::to_string(bytes.size() - 4) + ")");
}

void TestSerialize::everyByteFlipIsRejected()
{
    const Model m = randomModel("dense 10", 2, {1, 4, 4});
    const auto bytes = modelToBytes(m);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (std::uint8_t mask : {std::uint8_t(0x01), std::uint8_t(0x80), std::uint8_t(0xff)}) {
            auto damaged = bytes;
            damaged[i] ^= mask;
            const std::string msg =
                fileError([&] { loadModelFromBytes(damaged.data(), damaged.size(), "flip.dpnn", {0, 0, 0}); });
            QVERIFY2(msg.rfind("flip.dpnn: ", 0) == 0, qPrintable(QString::number(i) + ": " + msg.c_str()));
        }
    }
}

void TestSerialize::wrongMagic()
{
    auto bytes = modelToBytes(randomModel("dense 10", 3));
    std::memcpy(bytes.data(), "PK\x03\x04", 4);
    const QString file = path("archive.zip");
    writeBytes(file, bytes);
    std::int64_t offset = -1;
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }, &offset),
             file.toStdString() + ": not a DigitPad model file (wrong magic: expected 'DGTPADNN') (at byte 0)");
    QCOMPARE(offset, std::int64_t(0));

    // Short foreign files are foreign, not truncated.
    const std::vector<std::uint8_t> gif = {'G', 'I', 'F'};
    EXPECT_PHRASE(fileError([&] { loadModelFromBytes(gif.data(), gif.size(), "x.gif"); }), "wrong magic");
}

void TestSerialize::futureVersion_data()
{
    QTest::addColumn<uint>("version");
    QTest::newRow("2") << 2u;
    QTest::newRow("99") << 99u;
}

void TestSerialize::futureVersion()
{
    QFETCH(uint, version);
    auto bytes = modelToBytes(randomModel("dense 10", 4));
    putU32(bytes, 8, version);  // the checksum is now wrong too, but the version says more
    const QString file = path("future.dpnn");
    writeBytes(file, bytes);
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }),
             file.toStdString() + ": format version " + std::to_string(version) +
                 " is newer than this program supports (1); update DigitPad (at byte 8)");
}

void TestSerialize::flippedByteIsChecksumMismatch()
{
    auto bytes = modelToBytes(randomModel("conv 4 3 | relu | dense 10", 5));
    const std::uint32_t stored = crc32(bytes.data(), bytes.size() - 4);
    bytes[bytes.size() / 2] ^= 0x10;  // inside the dense weights
    const std::uint32_t computed = crc32(bytes.data(), bytes.size() - 4);
    const QString file = path("damaged.dpnn");
    writeBytes(file, bytes);
    std::int64_t offset = -1;
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }, &offset),
             file.toStdString() + ": checksum mismatch: stored " + hex32(stored) + ", computed " + hex32(computed) +
                 " (the file is damaged) (at byte " + std::to_string(bytes.size() - 4) + ")");
    QCOMPARE(offset, std::int64_t(bytes.size() - 4));

    // Damage that also makes a length absurd is still reported as damage.
    auto rank = modelToBytes(randomModel("dense 10", 5));
    const std::size_t rankAt = 8 + 4 + 4 + 4 + std::strlen("dense 10") + 12 + 4 + 4 + std::strlen("0.dense.weight");
    QCOMPARE(rank[rankAt], std::uint8_t(2));
    rank[rankAt + 3] = 0x40;
    EXPECT_PHRASE(fileError([&] { loadModelFromBytes(rank.data(), rank.size(), "r.dpnn"); }), "checksum mismatch");
}

void TestSerialize::shapeChangedWithValidCrc()
{
    // Saved by the real saver, then a kernel dimension edited and the CRC recomputed.
    auto bytes = modelToBytes(randomModel("conv 4 3 | conv 8 3 | dense 10", 6));
    FileBuilder ref;
    ref.header("conv 4 3 | conv 8 3 | dense 10", {1, 28, 28}).u32(6);
    ref.tensor("0.conv.weight", {4, 1, 3, 3}).tensor("0.conv.bias", {4});
    const std::size_t t3 = ref.bytes.size();  // tensor 3, '1.conv.weight' 8x4x3x3
    const std::size_t dims = t3 + 4 + std::strlen("1.conv.weight") + 4;
    QCOMPARE(bytes[dims + 8], std::uint8_t(3));
    // Change 8x4x3x3 to 8x4x1x9: same byte size, so only the shape check can catch it.
    putU32(bytes, dims + 8, 1);
    putU32(bytes, dims + 12, 9);
    fixCrc(bytes);
    const QString file = path("shape.dpnn");
    writeBytes(file, bytes);
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }),
             file.toStdString() + ": tensor 3 '1.conv.weight' has shape 8x4x1x9, the architecture needs 8x4x3x3 "
                                  "(at byte " + std::to_string(t3) + ")");

    // Built by hand with a different kernel size, as in a file from a different architecture.
    FileBuilder b;
    b.header("conv 4 3 | conv 8 3 | dense 10", {1, 28, 28}).u32(6);
    b.tensor("0.conv.weight", {4, 1, 3, 3}).tensor("0.conv.bias", {4}).tensor("1.conv.weight", {8, 4, 5, 5});
    b.tensor("1.conv.bias", {8}).tensor("2.dense.weight", {10, 8 * 24 * 24}).tensor("2.dense.bias", {10});
    b.u32(0);
    const auto hand = b.finish();
    EXPECT_PHRASE(fileError([&] { loadModelFromBytes(hand.data(), hand.size(), "hand.dpnn"); }),
                  "hand.dpnn: tensor 3 '1.conv.weight' has shape 8x4x5x5, the architecture needs 8x4x3x3");
}

void TestSerialize::tensorNamesAndCounts()
{
    const std::string spec = "dense 10";
    const auto load = [](const std::vector<std::uint8_t>& b) {
        return fileError([&] { loadModelFromBytes(b.data(), b.size(), "t.dpnn"); });
    };
    {
        FileBuilder b;
        b.header(spec, {1, 28, 28}).u32(1).tensor("0.dense.weight", {10, 784}).u32(0);
        QCOMPARE(load(b.finish()),
                 std::string("t.dpnn: tensor 2 '0.dense.bias' is missing (the file has 1 tensors, the architecture "
                             "needs 2) (at byte 40)"));
    }
    {
        FileBuilder b;
        b.header(spec, {1, 28, 28}).u32(3).tensor("0.dense.weight", {10, 784}).tensor("0.dense.bias", {10});
        b.tensor("extra", {1}).u32(0);
        const std::size_t at = b.tensorOffsets[2];
        QCOMPARE(load(b.finish()), "t.dpnn: unexpected extra tensor 3 'extra' (the architecture needs only 2) (at byte " +
                                       std::to_string(at) + ")");
    }
    {
        FileBuilder b;
        b.header(spec, {1, 28, 28}).u32(2).tensor("0.dense.bias", {10}).tensor("0.dense.weight", {10, 784}).u32(0);
        QCOMPARE(load(b.finish()),
                 std::string("t.dpnn: tensor 1 is named '0.dense.bias', the architecture needs '0.dense.weight' "
                             "(at byte 44)"));
    }
}

void TestSerialize::wrongInputShape()
{
    const Model m = randomModel("conv 4 3 | relu | dense 10", 7, {3, 32, 32});
    const QString file = path("cifar.dpnn");
    saveModel(m, file.toStdString());
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }),
             file.toStdString() + ": model expects input 3x32x32, DigitPad draws 1x28x28 (at byte " +
                 std::to_string(20 + m.spec().size()) + ")");
    // Without an expectation it loads.
    const Model loaded = loadModel(file.toStdString(), {0, 0, 0});
    QCOMPARE(loaded.inputShape(), (Shape3{3, 32, 32}));

    FileBuilder b;
    b.header("dense 10", {0, 28, 28}).u32(0).u32(0);
    const auto zero = b.finish();
    EXPECT_PHRASE(fileError([&] { loadModelFromBytes(zero.data(), zero.size(), "z.dpnn", {0, 0, 0}); }),
                  "input shape 0x28x28 is not usable");
    // 2^22 cubed wraps a 64-bit product to 0.
    for (int d : {65536, 1 << 22}) {
        FileBuilder h;
        h.header("dense 10", {d, d, d}).u32(0).u32(0);
        const auto huge = h.finish();
        const std::string n = std::to_string(d);
        EXPECT_PHRASE(fileError([&] { loadModelFromBytes(huge.data(), huge.size(), "h.dpnn", {0, 0, 0}); }),
                      "input shape " + n + "x" + n + "x" + n + " is not usable");
    }
}

void TestSerialize::specTypoInFile()
{
    FileBuilder b;
    b.header("conv 6 5 | relu | maxpol 2 | dense 10", {1, 28, 28}).u32(0).u32(0);
    const auto bytes = b.finish();
    const QString file = path("typo.dpnn");
    writeBytes(file, bytes);
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }),
             file.toStdString() + ": architecture in the file is invalid: layer 3 'maxpol 2': unknown layer 'maxpol' "
                                  "(did you mean 'maxpool'?) (at byte 16)");

    FileBuilder s;
    s.header("dense 12", {1, 28, 28}).u32(0).u32(0);
    const auto twelve = s.finish();
    EXPECT_PHRASE(fileError([&] { loadModelFromBytes(twelve.data(), twelve.size(), "s.dpnn"); }),
                  "architecture in the file is invalid: the last layer must produce 10 outputs");
}

void TestSerialize::nonFiniteValues_data()
{
    QTest::addColumn<float>("value");
    QTest::newRow("nan") << std::numeric_limits<float>::quiet_NaN();
    QTest::newRow("inf") << std::numeric_limits<float>::infinity();
    QTest::newRow("-inf") << -std::numeric_limits<float>::infinity();
}

void TestSerialize::nonFiniteValues()
{
    QFETCH(float, value);
    const Model m = randomModel("conv 4 3 | relu | dense 10", 8);
    auto bytes = modelToBytes(m);
    // Third value of the first tensor ('0.conv.weight' 4x1x3x3).
    const std::size_t values = 8 + 4 + 4 + 4 + m.spec().size() + 12 + 4 + 4 + 13 + 4 + 16;
    const std::size_t at = values + 8;
    std::uint32_t bits;
    std::memcpy(&bits, &value, 4);
    putU32(bytes, at, bits);
    fixCrc(bytes);
    const QString file = path("nan.dpnn");
    writeBytes(file, bytes);
    QCOMPARE(fileError([&] { loadModel(file.toStdString()); }),
             file.toStdString() + ": tensor '0.conv.weight' contains NaN or infinite values (at byte " +
                 std::to_string(at) + ")");
}

void TestSerialize::limitsBeforeAllocation()
{
    const auto load = [](const std::vector<std::uint8_t>& b) {
        return fileError([&] { loadModelFromBytes(b.data(), b.size(), "l.dpnn"); });
    };
    {   // A spec length of 2 MiB in a small file with a valid checksum.
        FileBuilder b;
        b.raw("DGTPADNN", 8).u32(1).u32(0).u32(2u << 20).raw("dense 10", 8);
        QCOMPARE(load(b.finish()),
                 std::string("l.dpnn: the architecture spec claims to be 2 MiB long, more than the limit of 1 MiB "
                             "(at byte 16)"));
    }
    {
        FileBuilder b;
        b.header("dense 10", {1, 28, 28}).u32(10001).u32(0);
        QCOMPARE(load(b.finish()),
                 std::string("l.dpnn: the file claims 10001 tensors, more than the limit of 10000 (at byte 40)"));
    }
    {
        FileBuilder b;
        b.header("dense 10", {1, 28, 28}).u32(1).str("0.dense.weight").u32(9);
        for (int i = 0; i < 9; ++i)
            b.u32(1);
        b.f32(0.0f).u32(0);
        QCOMPARE(load(b.finish()),
                 std::string("l.dpnn: tensor 1 '0.dense.weight' has rank 9, more than the limit of 8 (at byte 62)"));
    }
    {   // 2^32 x 2^32 would overflow a naive size computation.
        FileBuilder b;
        b.header("dense 10", {1, 28, 28}).u32(1).str("0.dense.weight").u32(2).u32(0xffffffffu).u32(0xffffffffu);
        b.u32(0);
        EXPECT_PHRASE(load(b.finish()), "takes the model beyond the limit of 67108864 parameters");
    }
    {   // Lengths that run past the end are truncation, whatever their size.
        FileBuilder b;
        b.header("dense 10", {1, 28, 28}).u32(1).str("0.dense.weight").u32(2).u32(10).u32(784);
        b.u32(0);
        EXPECT_PHRASE(load(b.finish()), "truncated: 31360 bytes needed for the values of tensor 1 '0.dense.weight'");
    }
    {   // A tiny file whose architecture would need gigabytes.
        FileBuilder b;
        b.header("dense 100000 | dense 100000 | dense 10", {1, 28, 28}).u32(0).u32(0);
        EXPECT_PHRASE(load(b.finish()), "the architecture in the file needs more than 67108864 parameters");
    }
    {
        FileBuilder b;
        b.header("dense 10", {1, 28, 28}).u32(0).u32(10001);
        EXPECT_PHRASE(load(b.finish()), "10001 metadata entries, more than the limit of 10000");
    }
}

void TestSerialize::trailingBytes()
{
    auto bytes = modelToBytes(randomModel("dense 10", 9));
    const std::size_t end = bytes.size();
    bytes.push_back(0);
    bytes.push_back(0);
    QCOMPARE(fileError([&] { loadModelFromBytes(bytes.data(), bytes.size(), "t.dpnn"); }),
             "t.dpnn: 2 unexpected bytes after the end of the model (at byte " + std::to_string(end) + ")");
}

void TestSerialize::atomicWriteCreatesAndReplaces()
{
    const QString file = path("out.bin");
    const std::vector<std::uint8_t> a(100000, 0xab), b = {1, 2, 3};
    writeFileAtomic(file.toStdString(), a.data(), a.size());
    QCOMPARE(readAll(file).size(), qsizetype(100000));
    QCOMPARE(dirEntries(), QStringList{"out.bin"});

    struct stat st;
    QCOMPARE(::stat(file.toLocal8Bit().constData(), &st), 0);
    const mode_t mask = ::umask(022);
    ::umask(mask);
    QCOMPARE(st.st_mode & 0777, 0666 & ~mask);  // as if created normally, not mkstemp's 0600

    QCOMPARE(::chmod(file.toLocal8Bit().constData(), 0640), 0);
    writeFileAtomic(file.toStdString(), b.data(), b.size());
    QCOMPARE(readAll(file), QByteArray("\x01\x02\x03", 3));
    QCOMPARE(::stat(file.toLocal8Bit().constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0640));  // the replaced file's mode is kept
    QCOMPARE(dirEntries(), QStringList{"out.bin"});

    // Empty content is fine too.
    writeFileAtomic(file.toStdString(), nullptr, 0);
    QCOMPARE(readAll(file).size(), qsizetype(0));
}

void TestSerialize::atomicWriteFailureKeepsTarget()
{
    const std::vector<std::uint8_t> data = {9, 9, 9};
    if (::geteuid() != 0) {
        const QString sub = path("ro");
        QVERIFY(QDir().mkdir(sub));
        const QString file = sub + "/model.dpnn";
        writeBytes(file, {'o', 'l', 'd'});
        QVERIFY(QFile::setPermissions(sub, QFile::ReadOwner | QFile::ExeOwner));
        const std::string msg = fileError([&] { writeFileAtomic(file.toStdString(), data.data(), data.size()); });
        QVERIFY(QFile::setPermissions(sub, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QCOMPARE(msg, file.toStdString() + ": cannot create a temporary file in " + sub.toStdString() +
                          ": Permission denied");
        QCOMPARE(readAll(file), QByteArray("old"));
        QCOMPARE(QDir(sub).entryList(QDir::Files | QDir::Hidden), QStringList{"model.dpnn"});
    } else {
        // Root ignores permissions; a directory that does not exist fails the same way.
        const QString sub = path("missing");
        const QString file = sub + "/model.dpnn";
        const std::string msg = fileError([&] { writeFileAtomic(file.toStdString(), data.data(), data.size()); });
        QCOMPARE(msg, file.toStdString() + ": cannot create a temporary file in " + sub.toStdString() +
                          ": No such file or directory");
        QVERIFY(!QFileInfo::exists(sub));
    }
    QVERIFY(fileError([&] { saveModel(randomModel("dense 10", 1), path("no/such/dir/m.dpnn").toStdString()); })
                .find("no/such/dir/m.dpnn: cannot create a temporary file") != std::string::npos);
}

void TestSerialize::atomicWriteRenameFailureCleansUp()
{
    // The target is a non-empty directory: the temporary file is written and
    // then cannot be renamed over it. It must be removed, the directory kept.
    const QString target = path("occupied");
    QVERIFY(QDir().mkdir(target));
    writeBytes(target + "/keep", {'k'});
    const std::vector<std::uint8_t> data = {1, 2, 3};
    const std::string msg = fileError([&] { writeFileAtomic(target.toStdString(), data.data(), data.size()); });
    QCOMPARE(msg, target.toStdString() + ": cannot replace the file: Is a directory");
    QCOMPARE(dirEntries(), QStringList{"occupied"});
    QCOMPARE(readAll(target + "/keep"), QByteArray("k"));
}

void TestSerialize::readFileBytesLimit()
{
    const QString file = path("big.bin");
    writeBytes(file, std::vector<std::uint8_t>(3000, 7));
    QCOMPARE(readFileBytes(file.toStdString(), 3000).size(), std::size_t(3000));
    QCOMPARE(fileError([&] { readFileBytes(file.toStdString(), 1024); }),
             file.toStdString() + ": file is 2.9 KiB, larger than the limit of 1 KiB");
    QCOMPARE(fileError([&] { readFileBytes(m_dir->path().toStdString(), 1024); }),
             m_dir->path().toStdString() + ": is a directory, not a file");
    EXPECT_PHRASE(fileError([&] { loadModel(m_dir->path().toStdString()); }), "is a directory");
}

QTEST_APPLESS_MAIN(TestSerialize)
#include "test_serialize.moc"
