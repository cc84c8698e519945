#include "servertransport_p.h"

namespace Roomcast::EngineIO {

void ServerTransport::close()
{
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    doClose();
}

void ServerTransport::abort()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closing;
    m_writable = false;
    doAbort();
}

void ServerTransport::finishClose()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_writable = false;
    if (m_listener)
        m_listener->transportClosed(this);
}

} // namespace Roomcast::EngineIO
