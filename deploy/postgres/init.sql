-- One database per service (distributed mode). Run once by the postgres image on an empty volume.
create database directory;
create database inclusions;
create database meetings;
create database training;
create database reporting;
create database notifications;
