#pragma once
// Ctrl-C during training: the first SIGINT asks the trainer to stop after the
// current batch (the model is still evaluated and saved), the second cancels
// the final evaluation, the third quits at once without saving. SIGTERM
// (`kill`, `timeout`) and SIGHUP (the terminal closed) count the same way.
//
// A signal handler may only do async-signal-safe things, and
// RunControl::requestStop() takes a mutex, so the handler just counts the
// signal in a lock-free atomic and writes one byte to a pipe; a watcher
// thread blocked on that pipe makes the call in ordinary thread context.
#include <atomic>
#include <functional>
#include <thread>

namespace nn {
class RunControl;
}

namespace app::cli {

class SigintStop {
public:
    // Each signal asks `control` to stop.
    explicit SigintStop(nn::RunControl& control);
    // Each signal calls `onSignal` with the count so far (1, 2), on the
    // watcher thread (the third still quits at once).
    explicit SigintStop(std::function<void(int count)> onSignal);
    ~SigintStop();
    SigintStop(const SigintStop&) = delete;
    SigintStop& operator=(const SigintStop&) = delete;

    // SIGINTs, SIGTERMs and SIGHUPs received since construction.
    int interrupts() const;
    bool installed() const { return m_installed; }

private:
    void watch();

    std::function<void(int)> m_onSignal;
    int m_pipe[2] = {-1, -1};
    bool m_installed = false;
    std::thread m_watcher;
};

}  // namespace app::cli
