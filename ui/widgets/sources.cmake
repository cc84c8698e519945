# ui/widgets: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
    widgets/appicon.h widgets/appicon.cpp
    widgets/formgrid.h widgets/formgrid.cpp
    widgets/inlinemessage.h widgets/inlinemessage.cpp
    widgets/joindialog.h widgets/joindialog.cpp
    widgets/hostdialog.h widgets/hostdialog.cpp
    widgets/hostingpanel.h widgets/hostingpanel.cpp
    widgets/startpage.h widgets/startpage.cpp
    widgets/composer.h widgets/composer.cpp
    widgets/messagedelegate.h widgets/messagedelegate.cpp
    widgets/conversationdelegate.h widgets/conversationdelegate.cpp
    widgets/conversationview.h widgets/conversationview.cpp
    widgets/conversationpane.h widgets/conversationpane.cpp
    widgets/memberpane.h widgets/memberpane.cpp
    widgets/roombrowser.h widgets/roombrowser.cpp
    widgets/connectionstatus.h widgets/connectionstatus.cpp
    widgets/notifier.h widgets/notifier.cpp
    widgets/mainwindow.h widgets/mainwindow.cpp
)
