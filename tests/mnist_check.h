#pragma once
// Checks that need real MNIST ($DIGITPAD_DATA or ~/.local/share/DigitPad/mnist)
// run as ctest entries of their own, <test>_mnist (digitpad_add_mnist_check in
// tests/CMakeLists.txt), so that ctest reports them as skipped -- not passed --
// when MNIST is absent:
//  - at the top of such a check, DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY() skips
//    it in the test's main entry (which sets DIGITPAD_MNIST_SEPARATE);
//  - where MNIST is missing, DIGITPAD_SKIP_WITHOUT_MNIST(message) ends the
//    process with $DIGITPAD_SKIP_EXIT_CODE (the entry's SKIP_RETURN_CODE);
//    run by hand, without that variable, it is a plain QSKIP.
#include <QtTest>

#include <cstdio>
#include <cstdlib>

#define DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY()                                                    \
    do {                                                                                          \
        if (qEnvironmentVariableIsSet("DIGITPAD_MNIST_SEPARATE"))                                 \
            QSKIP("needs real MNIST: runs as its own ctest entry (the test's name with _mnist)"); \
    } while (false)

#define DIGITPAD_SKIP_WITHOUT_MNIST(message)                                                  \
    do {                                                                                      \
        const QString digitpadSkipMessage_ = (message);                                       \
        if (qEnvironmentVariableIsSet("DIGITPAD_SKIP_EXIT_CODE")) {                           \
            std::printf("SKIP   : %s: %s\n", QTest::currentTestFunction(),                    \
                        qPrintable(digitpadSkipMessage_));                                    \
            std::fflush(stdout);                                                              \
            std::_Exit(qEnvironmentVariableIntValue("DIGITPAD_SKIP_EXIT_CODE"));              \
        }                                                                                     \
        QSKIP(qPrintable(digitpadSkipMessage_));                                              \
    } while (false)
