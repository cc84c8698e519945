# ui/widgets: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
    widgets/appicon.h widgets/appicon.cpp
    widgets/formgrid.h widgets/formgrid.cpp
    widgets/inlinemessage.h widgets/inlinemessage.cpp
    widgets/joindialog.h widgets/joindialog.cpp
    widgets/hostdialog.h widgets/hostdialog.cpp
    widgets/hostingpanel.h widgets/hostingpanel.cpp
    widgets/startpage.h widgets/startpage.cpp
)
