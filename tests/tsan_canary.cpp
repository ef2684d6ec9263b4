// ThreadSanitizer canary (DIGITPAD_TSAN=ON only; ctest expects it to FAIL).
//
// tests/tsan.supp makes ThreadSanitizer ignore what happens inside Qt's
// uninstrumented libraries, and QThread is started by libQt6Core. This
// program races on purpose, in our own code, on a thread Qt started: if the
// suppressions (or a change to them) hid races in DigitPad's code on Qt's
// threads, ThreadSanitizer would stay quiet, this program would exit 0, and
// ctest would report the canary as failed.
#include <QCoreApplication>
#include <QThread>

#include <cstdio>

namespace {
int g_unprotected = 0;  // written by two threads with nothing between them
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QThread* writer = QThread::create([] {
        for (int i = 0; i < 1000; ++i)
            g_unprotected = g_unprotected + 1;
    });
    writer->start();
    for (int i = 0; i < 1000; ++i)
        g_unprotected = g_unprotected + 1;
    writer->wait();
    delete writer;
    std::printf("tsan canary: %d (ThreadSanitizer must have reported a data race above)\n", g_unprotected);
    return 0;
}
