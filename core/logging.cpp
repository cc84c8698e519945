#include "engineio/logging.h"
#include "socketio/logging.h"

Q_LOGGING_CATEGORY(lcEngineIO, "roomcast.engineio", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSocketIO, "roomcast.socketio", QtWarningMsg)
