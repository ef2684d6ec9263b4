#include "sigint.h"

#include <nn/trainer.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iterator>
#include <utility>
#include <unistd.h>

namespace app::cli {

namespace {

std::atomic<int> g_interrupts{0};
std::atomic<int> g_writeFd{-1};

// Ctrl-C, `kill`/`timeout` (SIGTERM) and a closed terminal (SIGHUP) all
// mean "stop and keep what was trained".
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[std::size(kSignals)];

static_assert(std::atomic<int>::is_always_lock_free, "the SIGINT handler needs a lock-free counter");

constexpr char kWakeSignal = 's';
constexpr char kWakeQuit = 'q';

extern "C" void onSigint(int)
{
    const int saved = errno;
    const int n = g_interrupts.fetch_add(1) + 1;
    if (n >= 3) {
        static const char msg[] = "\ndigitpad-cli: interrupted three times, quitting without saving\n";
        [[maybe_unused]] ssize_t w = ::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(130);
    }
    const int fd = g_writeFd.load();
    if (fd >= 0) {
        const char c = kWakeSignal;
        [[maybe_unused]] ssize_t w = ::write(fd, &c, 1);
    }
    errno = saved;
}

}  // namespace

SigintStop::SigintStop(nn::RunControl& control) : SigintStop([&control](int) { control.requestStop(); }) {}

SigintStop::SigintStop(std::function<void(int)> onSignal) : m_onSignal(std::move(onSignal))
{
    g_interrupts.store(0);
    if (::pipe(m_pipe) != 0)
        return;  // no Ctrl-C handling; training still works
    for (int fd : m_pipe)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    g_writeFd.store(m_pipe[1]);
    m_watcher = std::thread([this] { watch(); });

    struct sigaction sa {};
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    m_installed = true;
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        m_installed = ::sigaction(kSignals[i], &sa, &g_previous[i]) == 0 && m_installed;
}

SigintStop::~SigintStop()
{
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        ::sigaction(kSignals[i], &g_previous[i], nullptr);
    g_writeFd.store(-1);
    if (m_watcher.joinable()) {
        const char c = kWakeQuit;
        while (::write(m_pipe[1], &c, 1) < 0 && errno == EINTR) {
        }
        m_watcher.join();
    }
    for (int fd : m_pipe)
        if (fd >= 0)
            ::close(fd);
}

int SigintStop::interrupts() const { return g_interrupts.load(); }

void SigintStop::watch()
{
    for (;;) {
        char c = 0;
        const ssize_t r = ::read(m_pipe[0], &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || c == kWakeQuit)
            return;
        m_onSignal(g_interrupts.load());
    }
}

}  // namespace app::cli
