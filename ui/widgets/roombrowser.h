// RoomBrowser: the server's rooms, live (RoomDirectoryModel), with their member counts and
// topics; filtered by name, and joined by double-click, Enter or the Join button. A name that
// matches no room creates it.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;

namespace Roomcast::Chat {
class ChatClient;
}

namespace Roomcast::Ui {

class RoomDirectoryModel;

class RoomBrowser : public QDialog
{
    Q_OBJECT

public:
    explicit RoomBrowser(Chat::ChatClient *client, QWidget *parent = nullptr);

    //! The room to join: the one selected, or the name typed.
    QString chosenRoom() const;
    QLineEdit *nameEdit() const;
    QListView *list() const;

private:
    void updateButtons();

    RoomDirectoryModel *m_rooms;
    QSortFilterProxyModel *m_filtered;
    QLineEdit *m_name;
    QListView *m_list;
    QDialogButtonBox *m_buttons;
};

} // namespace Roomcast::Ui
