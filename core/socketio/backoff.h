// socket.io-client's reconnection back-off: min × 2^attempt, randomised by ±jitter, capped at
// max. Pure: the random source is passed in, so that tests can pin it.
#pragma once

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace Roomcast::SocketIO {

class Backoff
{
public:
    Backoff(int minMs, int maxMs, double jitter)
        : m_min(minMs)
        , m_max(std::max(maxMs, 0))
        , m_jitter(std::clamp(jitter, 0.0, 1.0))
    {
    }

    int attempts() const { return m_attempts; }
    void reset() { m_attempts = 0; }

    //! The delay before the next attempt (and counts it). `random` is in [0, 1).
    int nextDelay(double random = QRandomGenerator::global()->generateDouble())
    {
        // The exponent stops growing long before the double overflows: after days offline the
        // delay is still the maximum, never infinite or negative.
        double ms = m_min * std::ldexp(1.0, std::min(m_attempts++, 30));
        if (m_jitter > 0) {
            const double deviation = std::floor(random * m_jitter * ms);
            ms = (int(std::floor(random * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
        }
        return int(std::clamp(ms, 0.0, double(m_max)));
    }

private:
    int m_min;
    int m_max;
    double m_jitter;
    int m_attempts = 0;
};

} // namespace Roomcast::SocketIO
